package io.github.keycloaksts.signin;

import org.keycloak.models.ClientModel;
import org.keycloak.models.ProtocolMapperContainerModel;
import org.keycloak.models.ProtocolMapperModel;

import java.util.Optional;
import java.util.stream.Stream;

/** Clients set up for role sign-in: the role-session mapper on the client or on one of its default client scopes. */
public final class RoleSignInClients {

    /** The role-session mapper's provider id (signin's {@code RoleSessionMapper}). */
    public static final String MAPPER_ID = "kcsts-role-session";

    private RoleSignInClients() {
    }

    /** The mapper configuration that sets {@code client} up for role sign-in, if any. */
    public static Optional<ProtocolMapperModel> mapperOf(ClientModel client) {
        Stream<ProtocolMapperContainerModel> containers = Stream.concat(Stream.of(client),
                client.getClientScopes(true).values().stream());
        return containers.flatMap(ProtocolMapperContainerModel::getProtocolMappersStream)
                .filter(mapper -> MAPPER_ID.equals(mapper.getProtocolMapper()))
                .findFirst();
    }
}
