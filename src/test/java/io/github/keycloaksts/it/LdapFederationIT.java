package io.github.keycloaksts.it;

import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Users of a corporate directory (LDAP user federation) assume roles: a real LDAP server on loopback, a Keycloak
 * LDAP provider and group mapper configured through the admin API, users logging in with their directory
 * passwords, trust policies on {@code user-federation/<name>}, {@code kc:FederationLink}, LDAP groups and LDAP
 * attributes, in each mode of the group mapper.
 */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class LdapFederationIT extends AcmeFixture {

    private static final CorporateDirectory DIRECTORY = new CorporateDirectory();
    private static final String LDAP_PROVIDER = "corp-ldap";

    static {
        DIRECTORY.addPerson("erin", "erin-pass", "platform");
        DIRECTORY.addPerson("lee", "lee-pass", "platform");
        for (String mode : List.of("ldap-only", "read-only", "import")) {
            DIRECTORY.addPerson("dana-" + mode, "dana-pass", "platform");
            DIRECTORY.addPerson("sam-" + mode, "sam-pass", "sales");
        }
        DIRECTORY.addGroup("deployers", List.of("lee", "dana-ldap-only", "dana-read-only", "dana-import",
                "sam-ldap-only", "sam-read-only", "sam-import"));
        DIRECTORY.addGroup("auditors", List.of("erin"));
    }

    private String ldapId;
    private String groupMapperId;

    @AfterAll
    static void stopDirectory() {
        DIRECTORY.close();
    }

    @BeforeEach
    void federation() {
        List<ComponentRepresentation> existing = realm.admin().components()
                .query(null, "org.keycloak.storage.UserStorageProvider", LDAP_PROVIDER);
        if (existing.isEmpty()) {
            ldapId = add(component(LDAP_PROVIDER, "ldap", "org.keycloak.storage.UserStorageProvider", null,
                    DIRECTORY.keycloakConfig("WRITABLE", true)));
            add(component("department", "user-attribute-ldap-mapper", "org.keycloak.storage.ldap.mappers.LDAPStorageMapper",
                    ldapId, Map.of("user.model.attribute", List.of("department"), "ldap.attribute", List.of("departmentNumber"),
                            "read.only", List.of("false"), "always.read.value.from.ldap", List.of("true"),
                            "is.mandatory.in.ldap", List.of("false"), "is.binary.attribute", List.of("false"))));
            groupMapperId = add(component("corp-groups", "group-ldap-mapper", "org.keycloak.storage.ldap.mappers.LDAPStorageMapper",
                    ldapId, CorporateDirectory.groupMapperConfig("READ_ONLY")));
        } else {
            ldapId = existing.get(0).getId();
            groupMapperId = realm.admin().components().query(ldapId, "org.keycloak.storage.ldap.mappers.LDAPStorageMapper", "corp-groups")
                    .get(0).getId();
        }
        if (api().get("/roles/directory-deployer").status() == 404) {
            Http.Reply created = api().post("/roles", """
                    {"name": "directory-deployer", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                       {"Sid": "DirectoryDeployers", "Effect": "Allow",
                        "Principal": {"Keycloak": "krn:keycloak:iam::acme:user-federation/corp-ldap"},
                        "Action": "sts:AssumeRole",
                        "Condition": {"ForAnyValue:StringEquals": {"kc:Groups": "/deployers"},
                                      "StringEquals": {"kc:PrincipalAttribute/department": "platform",
                                                       "kc:FederationLink": "corp-ldap"}}}]},
                     "permissions": {"clientRoles": {"billing-api": ["invoices:write"]}}}""");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
        }
    }

    private static ComponentRepresentation component(String name, String providerId, String providerType, String parentId,
                                                     Map<String, List<String>> config) {
        ComponentRepresentation component = new ComponentRepresentation();
        component.setName(name);
        component.setProviderId(providerId);
        component.setProviderType(providerType);
        component.setParentId(parentId);
        component.setConfig(new MultivaluedHashMap<>(config));
        return component;
    }

    private String add(ComponentRepresentation component) {
        try (Response response = realm.admin().components().add(component)) {
            assertThat(response.getStatus()).as(component.getName() + " " + response.readEntity(String.class)).isEqualTo(201);
            String location = response.getLocation().getPath();
            return location.substring(location.lastIndexOf('/') + 1);
        }
    }

    private void cachePolicy(String policy) {
        ComponentRepresentation provider = realm.admin().components().component(ldapId).toRepresentation();
        provider.getConfig().putSingle("cachePolicy", policy);
        realm.admin().components().component(ldapId).update(provider);
    }

    private void groupMapperMode(String mode) {
        ComponentRepresentation mapper = realm.admin().components().component(groupMapperId).toRepresentation();
        mapper.getConfig().putSingle("mode", mode);
        realm.admin().components().component(groupMapperId).update(mapper);
    }

    private String login(String username, String password) {
        return Http.userToken(base(), "acme", username, password);
    }

    private Http.Reply assume(String subjectToken) {
        return Sts.assumeRole(base(), "acme", "admin-cli", null, subjectToken, "directory-deployer");
    }

    @Test
    void liveGroupModesWithoutUserCacheSeeDirectoryChangesAtTheNextExchange() throws Exception {
        cachePolicy("NO_CACHE");
        for (String mode : List.of("LDAP_ONLY", "READ_ONLY")) {
            groupMapperMode(mode);
            String user = "dana-" + mode.toLowerCase().replace('_', '-');
            String dana = login(user, "dana-pass");

            Http.Reply allowed = assume(dana);
            assertThat(allowed.status()).as(mode + " " + allowed).isEqualTo(200);
            AccessToken session = Sts.verify(base(), "acme", allowed.json().get("access_token").asText());
            assertThat(session.getOtherClaims()).containsEntry("principal", "krn:keycloak:iam::acme:user/" + user);
            assertThat(session.getResourceAccess("billing-api").getRoles()).containsExactly("invoices:write");
            assertThat(session.getRealmAccess()).isNull();

            // Removed from the group in the directory: the very next exchange is refused, with the same token.
            DIRECTORY.removeMember("deployers", user);
            Http.Reply refused = assume(dana);
            assertThat(refused.status()).as(mode + " " + refused).isEqualTo(403);
        }
        cachePolicy("DEFAULT");
    }

    @Test
    void withKeycloaksUserCacheDirectoryChangesWaitForTheCacheEntryToGo() {
        cachePolicy("DEFAULT");
        groupMapperMode("READ_ONLY");
        String lee = login("lee", "lee-pass");
        assertThat(assume(lee).status()).isEqualTo(200);

        // Keycloak caches the user with the group memberships it read (UserCacheSession/CachedUser): until the
        // entry goes (cache policy lifespan, an update of the user, or "clear user cache"), it still sees them.
        DIRECTORY.removeMember("deployers", "lee");
        assertThat(assume(lee).status()).isEqualTo(200);
        realm.admin().clearUserCache();
        assertThat(assume(lee).status()).isEqualTo(403);
    }

    @Test
    void importModeCopiesMembershipsWhenTheUserIsFirstImported() {
        groupMapperMode("IMPORT");
        String dana = login("dana-import", "dana-pass");
        assertThat(assume(dana).status()).isEqualTo(200);

        // Keycloak imports LDAP group memberships only when it creates the local user
        // (GroupLDAPStorageMapper.onImportUserFromLDAP): a later change in the directory is not seen.
        DIRECTORY.removeMember("deployers", "dana-import");
        assertThat(assume(dana).status()).isEqualTo(200);
        // What the administrator does about it: remove the membership in Keycloak (or re-import the user).
        String danaId = realm.admin().users().search("dana-import").get(0).getId();
        realm.admin().users().get(danaId).groups().forEach(group -> realm.admin().users().get(danaId).leaveGroup(group.getId()));
        assertThat(assume(dana).status()).isEqualTo(403);
    }

    @Test
    void directoryFactsOutsideThePolicyAreRefused() {
        groupMapperMode("READ_ONLY");
        // In the group, but the directory says another department.
        assertThat(assume(login("sam-read-only", "sam-pass")).status()).isEqualTo(403);
        // In the directory, not in the group.
        assertThat(assume(login("erin", "erin-pass")).status()).isEqualTo(403);
        // A local user of the realm who is not from the directory, even in a group of that name.
        assertThat(assume(login("alice", AcmeRealm.PASSWORD)).status()).isEqualTo(403);
    }

    @Test
    void theSimulatorExplainsADirectoryUser() {
        groupMapperMode("READ_ONLY");
        login("sam-read-only", "sam-pass");
        Http.Reply simulated = api().post("/simulate", """
                {"role": "directory-deployer", "principal": "krn:keycloak:iam::acme:user/sam-read-only"}""");
        assertThat(simulated.status()).as(simulated.toString()).isEqualTo(200);
        assertThat(simulated.json().get("decision").asText()).isEqualTo("implicitDeny");
        assertThat(simulated.toString()).contains("kc:PrincipalAttribute/department");
    }
}
