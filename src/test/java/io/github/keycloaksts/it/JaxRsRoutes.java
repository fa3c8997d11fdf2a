package io.github.keycloaksts.it;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.github.keycloaksts.admin.IamAdminResourceProviderFactory;
import io.github.keycloaksts.endpoints.CallerIdentityResourceProviderFactory;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The HTTP routes our JAX-RS classes really serve, found by reflection: from each root resource (mounted by its
 * provider factory's id), every resource method ({@code @GET}, {@code @POST}, ... with its {@code @Path}) and every
 * sub-resource locator ({@code @Path} without an HTTP method), followed into the class it returns. A class of ours
 * with JAX-RS methods that no root reaches is reported too: a new root must be added here (and documented).
 */
final class JaxRsRoutes {

    private static final Map<Class<? extends Annotation>, String> HTTP_METHODS = Map.of(GET.class, "GET",
            POST.class, "POST", PUT.class, "PUT", DELETE.class, "DELETE", PATCH.class, "PATCH", HEAD.class, "HEAD",
            OPTIONS.class, "OPTIONS");

    /** Root resource classes and where Keycloak mounts them (admin realm resources and realm resources). */
    private static final Map<Class<?>, String> ROOTS = Map.of(
            rootOf("io.github.keycloaksts.admin.IamAdminResource"), "/admin/realms/{realm}/" + IamAdminResourceProviderFactory.ID,
            rootOf("io.github.keycloaksts.endpoints.CallerIdentityResource"), "/realms/{realm}/" + CallerIdentityResourceProviderFactory.ID);

    record Routes(Set<String> routes, Set<String> unreachableClasses) {
    }

    private JaxRsRoutes() {
    }

    /** Routes as {@code "METHOD /path/{param}"}, and the classes with JAX-RS methods that no root reaches. */
    static Routes find() {
        Set<String> routes = new TreeSet<>();
        Set<Class<?>> reached = new HashSet<>();
        ROOTS.forEach((type, prefix) -> walk(type, prefix, routes, reached));
        Set<String> unreachable = new TreeSet<>();
        for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.github.keycloaksts")) {
            Class<?> reflected = type.reflect();
            if (!reached.contains(reflected) && Stream.of(reflected.getDeclaredMethods()).anyMatch(JaxRsRoutes::isJaxRs)) {
                unreachable.add(reflected.getName());
            }
        }
        return new Routes(routes, unreachable);
    }

    private static void walk(Class<?> type, String prefix, Set<String> routes, Set<Class<?>> reached) {
        if (!reached.add(type)) {
            return;
        }
        for (Method method : type.getMethods()) {
            Path path = method.getAnnotation(Path.class);
            String full = join(prefix, path == null ? "" : path.value());
            String http = httpMethod(method);
            if (http != null) {
                routes.add(http + " " + full);
            } else if (path != null) {
                walk(method.getReturnType(), full, routes, reached);
            }
        }
    }

    private static boolean isJaxRs(Method method) {
        return httpMethod(method) != null || method.isAnnotationPresent(Path.class);
    }

    private static String httpMethod(Method method) {
        Map<String, String> found = new LinkedHashMap<>();
        HTTP_METHODS.forEach((annotation, name) -> {
            if (method.isAnnotationPresent(annotation)) {
                found.put(name, name);
            }
        });
        return found.isEmpty() ? null : found.keySet().iterator().next();
    }

    private static String join(String prefix, String path) {
        String joined = Stream.concat(Stream.of(prefix.split("/")), Stream.of(path.split("/")))
                .filter(s -> !s.isEmpty()).collect(Collectors.joining("/"));
        return "/" + joined;
    }

    private static Class<?> rootOf(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("root resource " + name + " is gone: update JaxRsRoutes", e);
        }
    }
}
