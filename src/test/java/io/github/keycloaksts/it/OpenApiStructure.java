package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A structural check of an OpenAPI 3.1 document with Jackson: no OpenAPI validator is available offline here
 * (swagger-parser and networknt's json-schema-validator are not in the local repository), so this checks what the
 * specification requires of the parts this project uses: the version, the required fields of the root, info,
 * operations, responses and parameters, declared path templates, unique operation ids, resolvable local
 * {@code $ref}s and known security schemes. It reports every problem, not only the first.
 */
final class OpenApiStructure {

    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Set<String> ROOT_FIELDS = Set.of("openapi", "info", "jsonSchemaDialect", "servers", "paths",
            "webhooks", "components", "security", "tags", "externalDocs");
    private static final Set<String> PATH_ITEM_FIELDS = union(METHODS, Set.of("$ref", "summary", "description", "servers", "parameters"));
    private static final Set<String> OPERATION_FIELDS = Set.of("tags", "summary", "description", "externalDocs",
            "operationId", "parameters", "requestBody", "responses", "callbacks", "deprecated", "security", "servers");
    private static final Set<String> PARAMETER_LOCATIONS = Set.of("query", "header", "path", "cookie");
    private static final Set<String> SCHEMA_TYPES = Set.of("null", "boolean", "object", "array", "number", "string", "integer");
    private static final Pattern STATUS = Pattern.compile("[1-5](\\d\\d|XX)|default");
    private static final Pattern TEMPLATE = Pattern.compile("\\{([^}/]+)}");

    private final JsonNode document;
    private final List<String> problems = new ArrayList<>();

    private OpenApiStructure(JsonNode document) {
        this.document = document;
    }

    /** Every structural problem of {@code document}; empty when it is a well-formed OpenAPI 3.1 document. */
    static List<String> problems(JsonNode document) {
        OpenApiStructure check = new OpenApiStructure(document);
        check.root();
        return check.problems;
    }

    private void root() {
        if (!document.isObject()) {
            problems.add("the document is not a JSON object");
            return;
        }
        fieldsIn("(root)", document, ROOT_FIELDS);
        if (!document.path("openapi").asText("").matches("3\\.1\\.\\d+")) {
            problems.add("openapi must be 3.1.x, is " + document.get("openapi"));
        }
        JsonNode info = document.path("info");
        if (!info.path("title").isTextual() || !info.path("version").isTextual()) {
            problems.add("info needs the strings title and version");
        }
        if (!document.path("paths").isObject() || document.path("paths").isEmpty()) {
            problems.add("paths must be a non-empty object");
            return;
        }
        Set<String> operationIds = new HashSet<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            pathItem(path.getKey(), path.getValue(), operationIds);
        }
        refs(document, "#");
        for (Map.Entry<String, JsonNode> schema : document.path("components").path("schemas").properties()) {
            schemaTypes("#/components/schemas/" + schema.getKey(), schema.getValue());
        }
    }

    private void pathItem(String path, JsonNode item, Set<String> operationIds) {
        if (!path.startsWith("/")) {
            problems.add(path + ": a path must start with /");
        }
        fieldsIn(path, item, PATH_ITEM_FIELDS);
        List<JsonNode> shared = parameters(path, item.path("parameters"));
        Set<String> templated = new LinkedHashSet<>();
        Matcher m = TEMPLATE.matcher(path);
        while (m.find()) {
            templated.add(m.group(1));
        }
        for (String method : METHODS) {
            if (!item.has(method)) {
                continue;
            }
            String where = method.toUpperCase() + " " + path;
            JsonNode operation = item.get(method);
            fieldsIn(where, operation, OPERATION_FIELDS);
            if (operation.has("operationId") && !operationIds.add(operation.get("operationId").asText())) {
                problems.add(where + ": operationId " + operation.get("operationId") + " is not unique");
            }
            List<JsonNode> all = new ArrayList<>(shared);
            all.addAll(parameters(where, operation.path("parameters")));
            Set<String> declared = new LinkedHashSet<>();
            for (JsonNode parameter : all) {
                if (parameter.path("in").asText().equals("path")) {
                    declared.add(parameter.path("name").asText());
                }
            }
            if (!declared.equals(templated)) {
                problems.add(where + ": path parameters " + declared + " do not match the template's " + templated);
            }
            if (operation.has("requestBody") && !resolve(operation.get("requestBody")).path("content").isObject()) {
                problems.add(where + ": requestBody needs content");
            }
            responses(where, operation.path("responses"));
            security(where, operation.path("security"));
        }
    }

    private List<JsonNode> parameters(String where, JsonNode parameters) {
        List<JsonNode> resolved = new ArrayList<>();
        if (parameters.isMissingNode()) {
            return resolved;
        }
        if (!parameters.isArray()) {
            problems.add(where + ": parameters must be an array");
            return resolved;
        }
        for (JsonNode reference : parameters) {
            JsonNode parameter = resolve(reference);
            String name = parameter.path("name").asText("");
            String in = parameter.path("in").asText("");
            if (name.isEmpty() || !PARAMETER_LOCATIONS.contains(in)) {
                problems.add(where + ": a parameter needs a name and 'in' of " + PARAMETER_LOCATIONS + ": " + parameter);
            }
            if (in.equals("path") && !parameter.path("required").asBoolean(false)) {
                problems.add(where + ": path parameter " + name + " must be required: true");
            }
            if (!parameter.has("schema") && !parameter.has("content")) {
                problems.add(where + ": parameter " + name + " needs a schema or content");
            }
            resolved.add(parameter);
        }
        return resolved;
    }

    private void responses(String where, JsonNode responses) {
        if (!responses.isObject() || responses.isEmpty()) {
            problems.add(where + ": responses must be a non-empty object");
            return;
        }
        for (Map.Entry<String, JsonNode> response : responses.properties()) {
            if (!STATUS.matcher(response.getKey()).matches()) {
                problems.add(where + ": '" + response.getKey() + "' is not a status code");
            }
            if (!resolve(response.getValue()).path("description").isTextual()) {
                problems.add(where + " " + response.getKey() + ": a response needs a description");
            }
        }
    }

    private void security(String where, JsonNode requirements) {
        JsonNode schemes = document.path("components").path("securitySchemes");
        for (JsonNode requirement : requirements) {
            for (Iterator<String> it = requirement.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!schemes.has(name)) {
                    problems.add(where + ": unknown security scheme " + name);
                }
            }
        }
    }

    /** Every local {@code $ref} must name an existing node. */
    private void refs(JsonNode node, String at) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual() && (!ref.asText().startsWith("#/")
                    || document.at(ref.asText().substring(1)).isMissingNode())) {
                problems.add(at + ": $ref " + ref.asText() + " does not resolve");
            }
            node.properties().forEach(e -> refs(e.getValue(), at + "/" + e.getKey()));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                refs(node.get(i), at + "/" + i);
            }
        }
    }

    private void schemaTypes(String at, JsonNode schema) {
        if (schema.isObject()) {
            JsonNode type = schema.get("type");
            if (type != null) {
                for (JsonNode t : type.isArray() ? type : List.of(type)) {
                    if (!SCHEMA_TYPES.contains(t.asText())) {
                        problems.add(at + ": unknown JSON Schema type " + t);
                    }
                }
            }
            schema.properties().forEach(e -> {
                if (!e.getKey().equals("properties") && !e.getKey().equals("example") && !e.getKey().equals("examples")) {
                    schemaTypes(at + "/" + e.getKey(), e.getValue());
                } else if (e.getKey().equals("properties")) {
                    e.getValue().properties().forEach(p -> schemaTypes(at + "/properties/" + p.getKey(), p.getValue()));
                }
            });
        } else if (schema.isArray()) {
            schema.forEach(s -> schemaTypes(at, s));
        }
    }

    private JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? document.at(node.get("$ref").asText().substring(1)) : node;
    }

    private void fieldsIn(String where, JsonNode node, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!allowed.contains(field) && !field.startsWith("x-")) {
                problems.add(where + ": unknown field '" + field + "'");
            }
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
