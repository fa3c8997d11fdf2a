package io.github.keycloaksts.it;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldif.LDIFException;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * A real LDAP directory for the user-federation tests: UnboundID's in-memory server, listening on a free loopback
 * port of the test JVM, which the Keycloak server (another process) connects to as it would to Active Directory
 * or OpenLDAP. People under {@code ou=People}, groups ({@code groupOfNames}) under {@code ou=Groups}.
 */
public final class CorporateDirectory implements AutoCloseable {

    static final String BASE = "dc=corp,dc=example";
    static final String PEOPLE = "ou=People," + BASE;
    static final String GROUPS = "ou=Groups," + BASE;
    static final String BIND_DN = "cn=keycloak,dc=corp,dc=example";
    static final String BIND_PASSWORD = "bind-secret";

    private final InMemoryDirectoryServer server;

    CorporateDirectory() {
        this(0);
    }

    /** @param port the loopback port to listen on; 0 for any free one */
    CorporateDirectory(int port) {
        try {
            InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
            config.addAdditionalBindCredentials(BIND_DN, BIND_PASSWORD);
            config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("loopback",
                    InetAddress.getLoopbackAddress(), port, null));
            server = new InMemoryDirectoryServer(config);
            server.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: corp");
            server.add("dn: " + PEOPLE, "objectClass: top", "objectClass: organizationalUnit", "ou: People");
            server.add("dn: " + GROUPS, "objectClass: top", "objectClass: organizationalUnit", "ou: Groups");
            server.startListening();
        } catch (LDAPException | LDIFException e) {
            throw new IllegalStateException("could not start the in-memory directory", e);
        }
    }

    /**
     * The directory of the demo ({@code ./demo/ldap.sh}): on 127.0.0.1:10389 until stopped; dana (deployers,
     * platform), sam (deployers, sales) and erin (auditors), each with the password {@code <name>-pass}.
     */
    public static void main(String[] args) throws InterruptedException {
        CorporateDirectory directory = new CorporateDirectory(args.length > 0 ? Integer.parseInt(args[0]) : 10389);
        directory.addPerson("dana", "dana-pass", "platform");
        directory.addPerson("sam", "sam-pass", "sales");
        directory.addPerson("erin", "erin-pass", "platform");
        directory.addGroup("deployers", List.of("dana", "sam"));
        directory.addGroup("auditors", List.of("erin"));
        System.out.println("Corporate directory listening on " + directory.url() + " (base " + BASE + ")");
        Thread.currentThread().join();
    }

    String url() {
        return "ldap://127.0.0.1:" + server.getListenPort();
    }

    void addPerson(String uid, String password, String department) {
        add("dn: uid=" + uid + "," + PEOPLE, "objectClass: top", "objectClass: person", "objectClass: organizationalPerson",
                "objectClass: inetOrgPerson", "uid: " + uid, "cn: " + uid, "sn: " + uid, "mail: " + uid + "@corp.example",
                "userPassword: " + password, "departmentNumber: " + department);
    }

    void addGroup(String cn, List<String> memberUids) {
        String[] entry = new String[4 + memberUids.size()];
        entry[0] = "dn: cn=" + cn + "," + GROUPS;
        entry[1] = "objectClass: top";
        entry[2] = "objectClass: groupOfNames";
        entry[3] = "cn: " + cn;
        for (int i = 0; i < memberUids.size(); i++) {
            entry[4 + i] = "member: uid=" + memberUids.get(i) + "," + PEOPLE;
        }
        add(entry);
    }

    void removeMember(String group, String uid) {
        try {
            server.modify("cn=" + group + "," + GROUPS,
                    new Modification(ModificationType.DELETE, "member", "uid=" + uid + "," + PEOPLE));
        } catch (LDAPException e) {
            throw new IllegalStateException(e);
        }
    }

    private void add(String... ldif) {
        try {
            server.add(ldif);
        } catch (LDAPException | LDIFException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Configuration of a Keycloak LDAP user-storage component reading this directory. */
    Map<String, List<String>> keycloakConfig(String editMode, boolean importEnabled) {
        return Map.ofEntries(
                Map.entry("enabled", List.of("true")),
                Map.entry("priority", List.of("0")),
                Map.entry("vendor", List.of("other")),
                Map.entry("connectionUrl", List.of(url())),
                Map.entry("usersDn", List.of(PEOPLE)),
                Map.entry("bindDn", List.of(BIND_DN)),
                Map.entry("bindCredential", List.of(BIND_PASSWORD)),
                Map.entry("authType", List.of("simple")),
                Map.entry("usernameLDAPAttribute", List.of("uid")),
                Map.entry("rdnLDAPAttribute", List.of("uid")),
                Map.entry("uuidLDAPAttribute", List.of("entryUUID")),
                Map.entry("userObjectClasses", List.of("inetOrgPerson, organizationalPerson")),
                Map.entry("searchScope", List.of("1")),
                Map.entry("pagination", List.of("false")),
                Map.entry("editMode", List.of(editMode)),
                Map.entry("importEnabled", List.of(String.valueOf(importEnabled))),
                Map.entry("syncRegistrations", List.of("false")),
                Map.entry("cachePolicy", List.of("DEFAULT")),
                Map.entry("trustEmail", List.of("true")));
    }

    /** Configuration of Keycloak's group-ldap-mapper for this directory's groups, in the given mode. */
    static Map<String, List<String>> groupMapperConfig(String mode) {
        return Map.ofEntries(
                Map.entry("groups.dn", List.of(GROUPS)),
                Map.entry("group.name.ldap.attribute", List.of("cn")),
                Map.entry("group.object.classes", List.of("groupOfNames")),
                Map.entry("membership.ldap.attribute", List.of("member")),
                Map.entry("membership.attribute.type", List.of("DN")),
                Map.entry("membership.user.ldap.attribute", List.of("uid")),
                Map.entry("user.roles.retrieve.strategy", List.of("LOAD_GROUPS_BY_MEMBER_ATTRIBUTE")),
                Map.entry("preserve.group.inheritance", List.of("false")),
                Map.entry("ignore.missing.groups", List.of("false")),
                Map.entry("drop.non.existing.groups.during.sync", List.of("false")),
                Map.entry("groups.path", List.of("/")),
                Map.entry("mode", List.of(mode)));
    }

    @Override
    public void close() {
        server.shutDown(true);
    }
}
