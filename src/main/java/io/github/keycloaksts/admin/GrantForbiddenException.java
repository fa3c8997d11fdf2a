package io.github.keycloaksts.admin;

import java.util.List;

/** An administrator tried to grant roles Keycloak does not let it map; answered 403 naming each (see AdminResponses). */
final class GrantForbiddenException extends RuntimeException {

    private final List<GrantPermission.Refusal> refusals;

    GrantForbiddenException(List<GrantPermission.Refusal> refusals) {
        super(refusals.get(0).message());
        this.refusals = List.copyOf(refusals);
    }

    List<GrantPermission.Refusal> refusals() {
        return refusals;
    }
}
