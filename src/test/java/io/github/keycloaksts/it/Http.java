package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** A plain HTTP client for the tests: they call the server as any administrator or application would. */
public final class Http {

    public static final ObjectMapper JSON = new ObjectMapper();
    /**
     * HTTP/1.1, as browsers and most clients speak to Keycloak over plain HTTP: the JDK's default h2c upgrade turns a
     * request that the server refuses unread (413 for a large body) into a GOAWAY instead of the status.
     */
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private Http() {
    }

    public record Reply(int status, String body, HttpResponse<String> raw) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (HTTP " + status + "): " + body, e);
            }
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + body;
        }
    }

    public static Reply send(String method, String url, String bearer, String contentType, byte[] body) {
        return send(method, url, bearer, contentType, body, null);
    }

    /** A GET asking for JSON, as Keycloak's account REST API requires. */
    public static Reply getJson(String url, String bearer) {
        return send("GET", url, bearer, null, null, "application/json");
    }

    private static Reply send(String method, String url, String bearer, String contentType, byte[] body, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Reply form(String url, Map<String, String> form) {
        return send("POST", url, null, "application/x-www-form-urlencoded", formBody(form).getBytes(StandardCharsets.UTF_8));
    }

    /** application/x-www-form-urlencoded, as the token endpoint takes it. */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    public static String formBody(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** A password-grant access token of a user, through the realm's public {@code admin-cli} client. */
    public static String userToken(String baseUrl, String realm, String username, String password) {
        Reply reply = form(baseUrl + "/realms/" + realm + "/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "admin-cli", "username", username, "password", password));
        if (reply.status() != 200) {
            throw new AssertionError("could not log in " + username + ": " + reply);
        }
        return reply.json().get("access_token").asText();
    }
}
