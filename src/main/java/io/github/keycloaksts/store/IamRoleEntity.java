package io.github.keycloaksts.store;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * An IAM role row. The entity name is prefixed because JPA entity names share one namespace with Keycloak's own
 * ({@code RoleEntity} is taken). Grants hold Keycloak role ids, not names, so renaming a Keycloak role keeps the
 * grant; there is no foreign key to Keycloak's tables (realm deletion bulk-deletes them), and
 * {@code io.github.keycloaksts.store.KeycloakChangeListener} removes what would otherwise be left dangling.
 */
@Entity(name = "KcStsIamRole")
@Table(name = "KCSTS_IAM_ROLE")
public class IamRoleEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "NAME", length = 64, nullable = false)
    private String name;

    /** Lower-cased name: unique per realm, because AWS role names are case-insensitive. */
    @Column(name = "NAME_KEY", length = 64, nullable = false)
    private String nameKey;

    @Column(name = "PATH", length = 512, nullable = false)
    private String path;

    @Column(name = "DESCRIPTION", length = 1000)
    private String description;

    @Column(name = "MAX_SESSION_DURATION", nullable = false)
    private int maxSessionDuration;

    /** Cap of a session reached by role chaining; null: the default (3600 s), as AWS. */
    @Column(name = "MAX_CHAINED_DURATION")
    private Integer maxChainedSessionDuration;

    /** CLOB column read as a plain String: {@code @Lob} would map to a large-object OID on PostgreSQL. */
    @Column(name = "TRUST_POLICY", nullable = false)
    private String trustPolicy;

    /**
     * The ids the trust policy's principal KRNs named when the role was saved, as JSON (KRN to id), written by
     * {@link PrincipalBindings}; null on rows written before bindings existed (bound at their first read).
     */
    @Column(name = "PRINCIPAL_IDS")
    private String principalIds;

    /**
     * Set only on a role restored from a realm file, until its first read binds it: KRN to the digest of the id it
     * was bound to when saved ({@link PrincipalBindings#digest}), JSON; the file holds digests, never ids.
     */
    @Column(name = "PRINCIPAL_DIGESTS")
    private String principalDigests;

    /**
     * Internal ids of the clients the role's sessions carry in {@code aud} besides those of their granted roles, as a
     * JSON array; null = none. Ids, as for grants: a client deleted and re-created under the same client id is
     * another client, and is not an audience until a role names it again.
     */
    @Column(name = "AUDIENCES")
    private String audienceIds;

    /** Ids of the client scopes whose names the role's sessions carry in {@code scope}, as a JSON array; null = none. */
    @Column(name = "SCOPES")
    private String scopeIds;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    @Column(name = "UPDATED_AT", nullable = false)
    private long updatedAt;

    /** Sessions of this role issued at or before this epoch second are revoked (AWS "revoke active sessions"). */
    @Column(name = "SESSIONS_REVOKED_AT", nullable = false)
    private long sessionsRevokedAt;

    /** Epoch milliseconds of the last assume, written in batches by {@link RoleUsageTracker}; 0 = never. */
    @Column(name = "LAST_USED_AT", nullable = false)
    private long lastUsedAt;

    /** Client id of the requesting client of that assume. */
    @Column(name = "LAST_USED_BY")
    private String lastUsedBy;

    /** Bumped by every change: optimistic locking now, the key of the compiled-policy cache later. */
    @Version
    @Column(name = "VERSION", nullable = false)
    private int version;

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "KCSTS_IAM_ROLE_TAG", joinColumns = @JoinColumn(name = "ROLE_ID"))
    @MapKeyColumn(name = "TAG_KEY", length = 128)
    @Column(name = "TAG_VALUE", length = 256, nullable = false)
    private Map<String, String> tags = new HashMap<>();

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "KCSTS_IAM_ROLE_GRANT", joinColumns = @JoinColumn(name = "ROLE_ID"))
    @Column(name = "KC_ROLE_ID", length = 36, nullable = false)
    private Set<String> grantedRoleIds = new HashSet<>();

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getRealmId() {
        return realmId;
    }

    public void setRealmId(String realmId) {
        this.realmId = realmId;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getNameKey() {
        return nameKey;
    }

    public void setNameKey(String nameKey) {
        this.nameKey = nameKey;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getDescription() {
        return description == null ? "" : description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public int getMaxSessionDuration() {
        return maxSessionDuration;
    }

    public void setMaxSessionDuration(int maxSessionDuration) {
        this.maxSessionDuration = maxSessionDuration;
    }

    public Integer getMaxChainedSessionDuration() {
        return maxChainedSessionDuration;
    }

    public void setMaxChainedSessionDuration(Integer maxChainedSessionDuration) {
        this.maxChainedSessionDuration = maxChainedSessionDuration;
    }

    public String getTrustPolicy() {
        return trustPolicy;
    }

    public void setTrustPolicy(String trustPolicy) {
        this.trustPolicy = trustPolicy;
    }

    public java.util.SortedSet<String> getAudienceIds() {
        return StoredIds.read(audienceIds);
    }

    public void setAudienceIds(java.util.Collection<String> ids) {
        this.audienceIds = StoredIds.write(ids);
    }

    public java.util.SortedSet<String> getScopeIds() {
        return StoredIds.read(scopeIds);
    }

    public void setScopeIds(java.util.Collection<String> ids) {
        this.scopeIds = StoredIds.write(ids);
    }

    public String getPrincipalDigests() {
        return principalDigests;
    }

    public void setPrincipalDigests(String principalDigests) {
        this.principalDigests = principalDigests;
    }

    public String getPrincipalIds() {
        return principalIds;
    }

    public void setPrincipalIds(String principalIds) {
        this.principalIds = principalIds;
    }

    public long getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(long createdAt) {
        this.createdAt = createdAt;
    }

    public long getUpdatedAt() {
        return updatedAt;
    }

    public void setUpdatedAt(long updatedAt) {
        this.updatedAt = updatedAt;
    }

    public long getSessionsRevokedAt() {
        return sessionsRevokedAt;
    }

    public void setSessionsRevokedAt(long sessionsRevokedAt) {
        this.sessionsRevokedAt = sessionsRevokedAt;
    }

    public long getLastUsedAt() {
        return lastUsedAt;
    }

    public String getLastUsedBy() {
        return lastUsedBy;
    }

    public int getVersion() {
        return version;
    }

    public Map<String, String> getTags() {
        return tags;
    }

    public Set<String> getGrantedRoleIds() {
        return grantedRoleIds;
    }
}
