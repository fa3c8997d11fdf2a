package io.github.keycloaksts.bench;

import io.github.keycloaksts.policy.AccessRequest;
import io.github.keycloaksts.policy.Decision;
import io.github.keycloaksts.policy.Krn;
import io.github.keycloaksts.policy.PolicyCompiler;
import io.github.keycloaksts.policy.PolicyEnvironment;
import io.github.keycloaksts.policy.TrustPolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Evaluation time of compiled trust policies (JMH sample mode, so the report carries the median and p99): a typical
 * 5-statement policy, the 100-statement maximum, a policy whose conditions are all templated (policy variables in
 * StringLike, ArnLike, StringEquals and a negated StringNotLike: the variables are substituted per request, the
 * rest of each pattern is compiled once), and compiling the typical policy (done once per role version).
 * Run with {@code mvn verify -Pbenchmark}; results in {@code target/benchmark/jmh.json}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JmhPolicyEvaluation {

    static final String TYPICAL = """
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "Sre", "Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:group/engineering/sre"},
               "Action": "sts:AssumeRole", "Condition": {"Bool": {"kc:MultiFactorAuthPresent": "true"},
                 "NumericLessThan": {"kc:MultiFactorAuthAge": "3600"}}},
              {"Sid": "Pipeline", "Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:client/ci-pipeline"},
               "Action": ["sts:AssumeRole", "sts:TagSession"], "Condition": {"IpAddress": {"kc:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}}},
              {"Sid": "Auditors", "Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::partners:root"},
               "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "7f3e-audit"}}},
              {"Sid": "Platform", "Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:root"},
               "Action": "sts:AssumeRole", "Condition": {"ForAnyValue:StringLike": {"kc:Groups": "/platform/*"},
                 "StringEquals": {"kc:PrincipalAttribute/department": "${kc:Realm}-platform"}}},
              {"Sid": "NoContractors", "Effect": "Deny", "Principal": "*", "Action": "sts:*",
               "Condition": {"ForAnyValue:StringEquals": {"kc:Groups": "/contractors"}}}]}""";

    /** Every condition value has a policy variable, so every evaluation substitutes and matches templated values. */
    static final String TEMPLATED = """
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "OwnSessionOnly", "Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole",
               "Condition": {"StringNotLike": {"sts:RoleSessionName": "${kc:Username}-*"}}},
              {"Sid": "OwnClients", "Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole",
               "Condition": {"StringLike": {"kc:ClientId": ["${kc:Username}-*-cli", "${kc:Realm}-*-${kc:Username}"]},
                 "ArnLike": {"kc:PrincipalKrn": "krn:keycloak:iam::${kc:Realm}:user/${kc:Username}"},
                 "StringEquals": {"kc:PrincipalAttribute/department": "${kc:Realm}-platform"},
                 "StringEqualsIgnoreCase": {"kc:Acr": "U${kc:EpochTime}"}}}]}""";

    TrustPolicy typical;
    TrustPolicy hundred;
    TrustPolicy templated;
    AccessRequest request;

    @Setup
    public void setUp() {
        typical = compile(TYPICAL);
        // 100 statements is the limit, and they must fit the 10 KiB limit too: about 97 bytes each.
        StringBuilder many = new StringBuilder("{\"Version\":\"2012-10-17\",\"Statement\":[");
        for (int i = 0; i < 100; i++) {
            many.append(i == 0 ? "" : ",").append(
                    "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:*\",\"Condition\":{\"StringEquals\":{\"kc:Acr\":\"u%d\"}}}"
                            .formatted(i));
        }
        hundred = compile(many.append("]}").toString());
        templated = compile(TEMPLATED);
        request = AccessRequest.builder()
                .principal(Krn.user("acme", "user99")).principal(Krn.root("acme"))
                .principal(Krn.group("acme", "/engineering/sre")).principal(Krn.group("acme", "/engineering"))
                .value("kc:Username", "user99").value("kc:Realm", "acme")
                .value("kc:Groups", "/engineering/sre", "/engineering", "/platform/core")
                .value("kc:PrincipalAttribute/department", "acme-platform").value("kc:Acr", "u99")
                .value("kc:MultiFactorAuthPresent", "true").value("kc:MultiFactorAuthAge", "120")
                .value("kc:SourceIp", "10.1.2.3")
                .value("kc:ClientId", "user99-reports-cli").value("sts:RoleSessionName", "user99-nightly")
                .value("kc:PrincipalKrn", Krn.user("acme", "user99").toString()).value("kc:EpochTime", "99")
                .build();
        if (!typical.evaluate(request).allowed() || !hundred.evaluate(request).allowed()
                || !templated.evaluate(request).allowed()) {
            throw new IllegalStateException("benchmark request must be allowed (so every statement is evaluated)");
        }
    }

    private static TrustPolicy compile(String json) {
        var compilation = PolicyCompiler.compile(json, PolicyEnvironment.UNKNOWN);
        return compilation.policy().orElseThrow(() -> new IllegalStateException(compilation.errors().toString()));
    }

    @Benchmark
    public Decision typicalFiveStatements() {
        return typical.evaluate(request);
    }

    @Benchmark
    public Decision hundredStatements() {
        return hundred.evaluate(request);
    }

    @Benchmark
    public Decision templatedConditions() {
        return templated.evaluate(request);
    }

    @Benchmark
    public Object compileTypical() {
        return PolicyCompiler.compile(TYPICAL, PolicyEnvironment.UNKNOWN);
    }
}
