package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloaksts.endpoints.OpenApiDocument;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document as shipped in the jar, without a server: well-formed OpenAPI 3.1, and naming every route our
 * JAX-RS classes serve (so a new endpoint without documentation fails here, in seconds, before
 * {@code OpenApiConformanceIT} runs it against the real server).
 */
class OpenApiDocumentTest {

    static JsonNode shipped() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(OpenApiDocument.RESOURCE)) {
            assertThat(in).as(OpenApiDocument.RESOURCE + " in the jar").isNotNull();
            return Http.JSON.readTree(in);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Every {@code "METHOD /path"} the document describes. */
    static Set<String> operations(JsonNode document) {
        Set<String> operations = new TreeSet<>();
        document.get("paths").properties().forEach(path -> path.getValue().fieldNames().forEachRemaining(field -> {
            if (OpenApiStructure.METHODS.contains(field)) {
                operations.add(field.toUpperCase() + " " + path.getKey());
            }
        }));
        return operations;
    }

    @Test
    void isStructurallyValidOpenApi31() {
        assertThat(OpenApiStructure.problems(shipped())).isEmpty();
    }

    @Test
    void everyJaxRsRouteOfOursIsDocumented() {
        JaxRsRoutes.Routes found = JaxRsRoutes.find();
        assertThat(found.unreachableClasses()).as("classes with JAX-RS methods that no known root reaches").isEmpty();
        assertThat(found.routes()).as("routes found by reflection").hasSizeGreaterThan(10);
        assertThat(operations(shipped())).containsAll(found.routes());
    }

    @Test
    void aDocumentWithoutOneRouteOrWithABrokenReferenceIsCaught() {
        JsonNode document = shipped();
        ((com.fasterxml.jackson.databind.node.ObjectNode) document.get("paths")).remove("/admin/realms/{realm}/iam/simulate");
        assertThat(operations(document)).doesNotContain("POST /admin/realms/{realm}/iam/simulate");
        assertThat(JaxRsRoutes.find().routes()).contains("POST /admin/realms/{realm}/iam/simulate");

        ((com.fasterxml.jackson.databind.node.ObjectNode) document.get("components").get("schemas")).remove("Role");
        assertThat(OpenApiStructure.problems(document)).anyMatch(p -> p.contains("#/components/schemas/Role does not resolve"));
    }
}
