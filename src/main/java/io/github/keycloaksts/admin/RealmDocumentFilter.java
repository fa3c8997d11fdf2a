package io.github.keycloaksts.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.github.keycloaksts.role.FieldError;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Keycloak's own realm documents never silently drop IAM roles. Creating a realm ({@code POST /admin/realms}) and
 * partial import ({@code POST /admin/realms/{realm}/partialImport}) read Keycloak's representations, which have no
 * place for our roles: realm creation fails on the unknown key with an opaque "unable to read contents from stream",
 * partial import ignores it and answers 200 having imported none of them. A document with a top-level
 * {@code iamRoles} key (in any letter case) is therefore refused with a 400 naming the field and saying how to
 * import the roles instead ({@code POST .../iam/import}), before Keycloak reads it, so nothing of it is written.
 * <p>
 * Keycloak offers no hook into these two endpoints; a request filter is the supported way to see their bodies. It
 * runs after matching (it reads the body, which a pre-matching filter on the I/O thread must not), so the admin
 * token has been checked by Keycloak's resource locators first. It buffers at most {@link #MAX_BYTES}, Quarkus's
 * default {@code quarkus.http.limits.max-body-size} that Keycloak keeps, so it holds no more than the server would
 * accept anyway; a larger body (a server that raised that limit) is refused with 413 rather than passed unchecked.
 * A body that is not a JSON object is passed on untouched: Keycloak's own error for it is the right one.
 */
@Provider
public final class RealmDocumentFilter implements ContainerRequestFilter {

    /** Quarkus's default HTTP body limit (10240K), which Keycloak does not change. */
    static final int MAX_BYTES = 10240 * 1024;
    static final String FIELD = "iamRoles";

    private static final Pattern REALM_CREATION = Pattern.compile("admin/realms");
    private static final Pattern PARTIAL_IMPORT = Pattern.compile("admin/realms/([^/]+)/partialImport");
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_YAML_COMMENTS,
                    JsonReadFeature.ALLOW_SINGLE_QUOTES, JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES,
                    JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS,
                    JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS, JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS,
                    JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER)
            .build();

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        if (!HttpMethod.POST.equals(request.getMethod()) || (request.getMediaType() != null
                && !request.getMediaType().isCompatible(MediaType.APPLICATION_JSON_TYPE))) {
            return;
        }
        String path = request.getUriInfo().getPathSegments().stream().map(PathSegment::getPath)
                .filter(segment -> !segment.isEmpty()).collect(Collectors.joining("/"));
        Matcher partialImport = PARTIAL_IMPORT.matcher(path);
        boolean creation = REALM_CREATION.matcher(path).matches();
        if (!creation && !partialImport.matches()) {
            return;
        }
        byte[] body = request.getEntityStream().readNBytes(MAX_BYTES + 1);
        if (body.length > MAX_BYTES) {
            request.abortWith(AdminResponses.json(Response.Status.REQUEST_ENTITY_TOO_LARGE, java.util.Map.of("errorMessage",
                    "the realm document is larger than " + MAX_BYTES + " bytes, too large to check it for '" + FIELD + "'")));
            return;
        }
        request.setEntityStream(new ByteArrayInputStream(body));
        TopLevel document = scan(body);
        Optional<String> key = document.iamRolesKey();
        if (key.isEmpty()) {
            return;
        }
        String realm = creation ? document.realm().orElse("{realm}") : partialImport.group(1);
        String how = "import them with POST /admin/realms/" + realm + "/iam/import, a document {\"realm\": ..., \"roles\": [...]}"
                + " as GET /admin/realms/" + realm + "/iam/export writes it";
        String message = creation
                ? "Keycloak's realm creation cannot carry IAM roles and nothing was created: create the realm without '"
                  + key.get() + "', then " + how
                : "Keycloak's partial import does not carry IAM roles and nothing was imported: send the document without '"
                  + key.get() + "' and " + how;
        request.abortWith(AdminResponses.invalid(List.of(new FieldError(key.get(), message)), List.of()));
    }

    /**
     * @param iamRolesKey the top-level key naming IAM roles, as spelled in the document
     * @param realm       the document's {@code realm}, when it comes before that key (for the message only)
     */
    record TopLevel(Optional<String> iamRolesKey, Optional<String> realm) {
    }

    /**
     * Looks at the top level only (values are skipped unread). Nothing found when the body is not a JSON object:
     * Keycloak's own reader then refuses it with its own error. The scanner accepts more than Keycloak's reader
     * (comments, single quotes, unquoted names), so that no spelling Keycloak reads hides the key from it.
     */
    static TopLevel scan(byte[] body) {
        Optional<String> realm = Optional.empty();
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return new TopLevel(Optional.empty(), realm);
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (name.equalsIgnoreCase(FIELD)) {
                    return new TopLevel(Optional.of(name), realm);
                }
                if (parser.nextToken() == JsonToken.VALUE_STRING && name.equals("realm")) {
                    realm = Optional.of(parser.getText());
                }
                parser.skipChildren();
            }
        } catch (IOException e) {
            // Not JSON, or cut short: Keycloak refuses it.
        }
        return new TopLevel(Optional.empty(), realm);
    }
}
