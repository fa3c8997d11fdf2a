package io.github.keycloaksts.endpoints;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.SequenceInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code application/x-www-form-urlencoded} parameters of a request, read in a JAX-RS request filter and put
 * back for Keycloak. Keycloak's endpoints get their form only later (Quarkus REST reads it just before the
 * resource method, after every request filter), so a filter that must see a parameter reads the body itself.
 */
final class FormPeek {

    /** Far above any real OAuth request (Keycloak drops parameters over 20 000 characters); bounds the work. */
    static final int MAX_BYTES = 512 * 1024;

    /**
     * What a filter saw: the parameters, or that the body could not be read (too large, or escapes our decoder
     * refuses and a more lenient one might accept): a filter that must see a parameter then refuses the request.
     */
    record Form(Map<String, List<String>> parameters, boolean tooLarge, boolean unreadable) {

        static final Form NONE = new Form(Map.of(), false, false);

        List<String> all(String name) {
            return parameters.getOrDefault(name, List.of());
        }

        /** The single value of a parameter, if it was sent exactly once (duplicates are Keycloak's error to give). */
        Optional<String> single(String name) {
            List<String> values = all(name);
            return values.size() == 1 ? Optional.of(values.get(0)) : Optional.empty();
        }
    }

    private FormPeek() {
    }

    static Form read(ContainerRequestContext request) throws IOException {
        if (!HttpMethod.POST.equals(request.getMethod()) || request.getMediaType() == null
                || !request.getMediaType().isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)) {
            return Form.NONE;
        }
        byte[] head = request.getEntityStream().readNBytes(MAX_BYTES + 1);
        if (head.length > MAX_BYTES) {
            request.setEntityStream(new SequenceInputStream(new ByteArrayInputStream(head), request.getEntityStream()));
            return new Form(Map.of(), true, true);
        }
        request.setEntityStream(new ByteArrayInputStream(head));
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (String pair : new String(head, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                parameters.computeIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8), n -> new ArrayList<>())
                        .add(URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                return new Form(Map.of(), false, true);
            }
        }
        return new Form(parameters, false, false);
    }
}
