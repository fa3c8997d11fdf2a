package io.github.keycloaksts.endpoints;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The public URLs of the realm resource {@code /realms/{realm}/iam}, for discovery metadata. */
public final class IamRealmUrls {

    /** Below the realm resource. */
    public static final String CALLER_IDENTITY = "caller-identity";

    private IamRealmUrls() {
    }

    /** {@code <base>/realms/<realm>/iam}; {@code baseUrl} without a trailing slash, as Keycloak's base URI gives it. */
    static String of(String baseUrl, String realm) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return base + "/realms/" + URLEncoder.encode(realm, StandardCharsets.UTF_8).replace("+", "%20") + "/"
                + CallerIdentityResourceProviderFactory.ID;
    }

    public static String callerIdentity(String baseUrl, String realm) {
        return of(baseUrl, realm) + "/" + CALLER_IDENTITY;
    }
}
