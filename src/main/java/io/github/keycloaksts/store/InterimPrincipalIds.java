package io.github.keycloaksts.store;

import io.github.keycloaksts.policy.Krn;
import org.keycloak.models.ClientModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Resolves the principal KRNs a trust policy names to the ids of the objects they name now (interim: at read). */
public final class InterimPrincipalIds {

    private static final Pattern KRN = Pattern.compile("krn:keycloak:iam::[^\"\\s]+");

    private InterimPrincipalIds() {
    }

    public static Map<String, String> resolve(KeycloakSession session, IamRoleEntity role) {
        return resolve(session, role.getTrustPolicy());
    }

    public static Map<String, String> resolve(KeycloakSession session, String trustPolicy) {
        Map<String, String> ids = new LinkedHashMap<>();
        Matcher matcher = KRN.matcher(trustPolicy == null ? "" : trustPolicy);
        while (matcher.find()) {
            Krn.parse(matcher.group()).ifPresent(krn -> {
                String id = idOf(session, krn);
                if (id != null) {
                    ids.put(krn.toString(), id);
                }
            });
        }
        return ids;
    }

    private static String idOf(KeycloakSession session, Krn krn) {
        RealmModel realm = session.realms().getRealmByName(krn.realm());
        if (realm == null) {
            return null;
        }
        String resource = krn.resource();
        return switch (krn.kind().orElseThrow()) {
            case ROOT -> realm.getId();
            case USER -> {
                UserModel user = session.users().getUserByUsername(realm, resource.substring("user/".length()));
                yield user == null ? null : user.getId();
            }
            case CLIENT -> {
                ClientModel client = realm.getClientByClientId(resource.substring("client/".length()));
                yield client == null ? null : client.getId();
            }
            case GROUP -> {
                GroupModel group = KeycloakModelUtils.findGroupByPath(session, realm, resource.substring("group".length()));
                yield group == null ? null : group.getId();
            }
            case IDENTITY_PROVIDER -> {
                IdentityProviderModel provider = session.identityProviders().getByAlias(resource.substring("identity-provider/".length()));
                yield provider == null ? null : provider.getInternalId();
            }
            case USER_FEDERATION -> realm.getComponentsStream()
                    .filter(c -> c.getName().equals(resource.substring("user-federation/".length())))
                    .map(c -> c.getId()).findFirst().orElse(null);
            case ROLE -> new IamRoleStore(session).findByName(realm.getId(), krn.roleName())
                    .filter(r -> r.getPath().equals(krn.rolePath())).map(IamRoleEntity::getId).orElse(null);
            default -> null;
        };
    }
}
