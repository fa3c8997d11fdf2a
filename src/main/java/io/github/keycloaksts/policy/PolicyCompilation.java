package io.github.keycloaksts.policy;

import java.util.List;
import java.util.Optional;

/**
 * The result of compiling a policy document: every finding, and the compiled policy when there is no error.
 */
public record PolicyCompilation(Optional<TrustPolicy> policy, List<Finding> findings) {

    public PolicyCompilation {
        findings = List.copyOf(findings);
    }

    public boolean valid() {
        return policy.isPresent();
    }

    public List<Finding> errors() {
        return findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR).toList();
    }
}
