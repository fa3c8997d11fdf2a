package io.github.keycloaksts.it;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** The IAM admin API of one realm, called with whatever bearer token the test chooses. */
public final class IamApi {

    private final String base;
    private final Supplier<String> token;

    public IamApi(String keycloakBaseUrl, String realm, Supplier<String> token) {
        this.base = keycloakBaseUrl + "/admin/realms/" + realm + "/iam";
        this.token = token;
    }

    public Http.Reply get(String path) {
        return Http.send("GET", base + path, token.get(), null, null);
    }

    public Http.Reply post(String path, String json) {
        return Http.send("POST", base + path, token.get(), "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    public Http.Reply put(String path, String json) {
        return Http.send("PUT", base + path, token.get(), "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** Creates the role the JSON describes unless a role of that name exists (tests share one server). */
    public void ensureRole(String json) {
        String name;
        try {
            name = Http.JSON.readTree(json).get("name").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        if (get("/roles/" + name).status() == 404) {
            Http.Reply created = post("/roles", json);
            if (created.status() != 201) {
                throw new AssertionError("could not create role " + name + ": " + created);
            }
        }
    }

    public Http.Reply delete(String path) {
        return Http.send("DELETE", base + path, token.get(), null, null);
    }

    public Http.Reply send(String method, String path, String contentType, byte[] body) {
        return Http.send(method, base + path, token.get(), contentType, body);
    }
}
