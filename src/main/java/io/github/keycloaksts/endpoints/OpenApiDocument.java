package io.github.keycloaksts.endpoints;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3.1 description of this extension's HTTP API, as shipped in the jar. JSON, not YAML: it is served
 * byte for byte without parsing, and clients and tests read it with the Jackson that Keycloak already ships (no
 * YAML reader is needed anywhere). Public: a contract is no secret, and generators fetch it without credentials.
 */
public final class OpenApiDocument {

    /** Below the realm resource {@code /realms/{realm}/iam}. */
    public static final String PATH = "openapi.json";
    /** Where it sits in the jar (beside the Liquibase changelogs, out of every other provider's way). */
    public static final String RESOURCE = "/META-INF/keycloak-sts/openapi.json";

    private OpenApiDocument() {
    }

    /** The document's bytes; read once, it never changes while the jar is deployed. */
    static byte[] bytes() {
        return Holder.BYTES;
    }

    /** The URL of the document for a realm, under the server's base URL as clients see it. */
    public static String url(String baseUrl, String realm) {
        return IamRealmUrls.of(baseUrl, realm) + "/" + PATH;
    }

    private static final class Holder {
        private static final byte[] BYTES = read();

        private static byte[] read() {
            try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the jar");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
