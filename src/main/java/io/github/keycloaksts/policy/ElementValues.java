package io.github.keycloaksts.policy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** The shape AWS allows for Principal lists, actions and condition values: one value or a list of values. */
final class ElementValues {

    private ElementValues() {
    }

    /**
     * A string/number/boolean, or a non-empty array of at most {@link PolicyCompiler#MAX_VALUES} of them; anything
     * else (null, an object, an empty array) adds an error and gives no value.
     */
    static List<JsonNode> of(JsonNode node, String path, ValidationErrors errors) {
        List<JsonNode> values = new ArrayList<>();
        if (node == null || node.isNull()) {
            errors.add(path, "a value is required");
            return values;
        }
        if (node.isArray()) {
            if (node.isEmpty()) {
                // Issue 14: an empty list was once saved and then dropped its condition. Never leave anything out.
                errors.add(path, "an empty list: give at least one value (an empty list would "
                        + "leave this element out of the policy)");
                return values;
            }
            if (node.size() > PolicyCompiler.MAX_VALUES) {
                errors.add(path, "at most " + PolicyCompiler.MAX_VALUES + " values");
                return values;
            }
            node.forEach(values::add);
            return values;
        }
        if (node.isObject()) {
            errors.add(path, "expected a value or an array of values, not an object");
            return values;
        }
        values.add(node);
        return values;
    }

    /** RFC 6901: '~' and '/' inside a key become '~0' and '~1'. */
    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
