package io.github.keycloaksts.session;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a role session passes on when it is the subject of a new exchange (role chaining): the sessions that led to
 * it, when the first of them expires, its transitive tags and its source identity, which AWS makes immutable along
 * the chain. Read from a verified role-session token only.
 *
 * @param links          the session KRNs of the chain so far, first session first, ending with the subject session
 * @param originExpiry   {@code exp} of the first session of the chain, epoch seconds
 * @param transitiveTags the subject's tags whose keys are transitive: they flow into the new session unchanged
 */
public record RoleChain(List<String> links, long originExpiry, SortedMap<String, String> transitiveTags,
                 Optional<String> sourceIdentity) {

    public RoleChain {
        links = List.copyOf(links);
        transitiveTags = Collections.unmodifiableSortedMap(new TreeMap<>(transitiveTags));
    }

    /** How many sessions the chain holds once the new one is issued (a first session alone is depth 1). */
    public int depthOfNext() {
        return links.size() + 1;
    }

    public SortedSet<String> transitiveKeys() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(transitiveTags.keySet()));
    }
}
