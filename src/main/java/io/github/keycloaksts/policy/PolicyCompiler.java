package io.github.keycloaksts.policy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;

/**
 * Compiles a trust policy (AWS IAM policy grammar with Keycloak principals; see docs/policy-language.md) in four
 * stages, each its own class: {@link PolicyParser parse} the text, {@link PolicyValidator validate} the document,
 * {@link StatementCompiler compile} a valid one into a {@link TrustPolicy}, and {@link PolicyLinter lint} it for
 * legal but risky constructs. Reports every finding with its JSON Pointer, in document order; compiles only a
 * policy without errors.
 */
public final class PolicyCompiler {

    public static final int MAX_BYTES = 10 * 1024;
    public static final int MAX_STATEMENTS = 100;
    public static final int MAX_VALUES = 100;
    public static final List<String> ACTIONS = List.of(
            "sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML", "sts:TagSession",
            "sts:SetSourceIdentity");

    private PolicyCompiler() {
    }

    /** Compiles policy text, refusing oversize, deeply nested or malformed JSON before building any tree. */
    public static PolicyCompilation compile(String json, PolicyEnvironment environment) {
        PolicyParser.Parsed parsed = PolicyParser.parse(json);
        if (parsed.error() != null) {
            return new PolicyCompilation(Optional.empty(), List.of(parsed.error()));
        }
        return compile(parsed.document(), environment);
    }

    public static PolicyCompilation compile(JsonNode document, PolicyEnvironment environment) {
        ValidatedPolicy validated = PolicyValidator.validate(document, environment);
        List<Finding> findings = PolicyLinter.merge(validated.errors(), PolicyLinter.lint(validated, environment));
        Optional<TrustPolicy> policy = validated.valid() ? Optional.of(StatementCompiler.compile(validated)) : Optional.empty();
        return new PolicyCompilation(policy, findings);
    }
}
