package io.github.keycloaksts.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloaksts.json.MalformedJsonException;
import io.github.keycloaksts.json.StrictJson;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/**
 * Stage 1 of 4 (parse → validate → compile → lint): policy text to a JSON tree. Oversize text, nesting deeper than
 * {@link StrictJson#MAX_DEPTH}, duplicate keys and trailing content are refused while reading, before any tree is
 * built, so a hostile document costs no more than its bytes.
 */
final class PolicyParser {

    /** The tree, or the one error that stopped reading (path {@code ""}: the document as a whole). */
    record Parsed(JsonNode document, Finding error) {
    }

    private PolicyParser() {
    }

    static Parsed parse(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        // Pretty-printed text may be several times its compact size; validation applies the real limit.
        if (bytes.length > PolicyCompiler.MAX_BYTES * 4) {
            return new Parsed(null, Finding.error("", "the policy is larger than " + PolicyCompiler.MAX_BYTES + " bytes"));
        }
        try {
            return new Parsed(StrictJson.read(new ByteArrayInputStream(bytes), PolicyCompiler.MAX_BYTES * 4), null);
        } catch (MalformedJsonException e) {
            return new Parsed(null, Finding.error("", e.getMessage()));
        }
    }
}
