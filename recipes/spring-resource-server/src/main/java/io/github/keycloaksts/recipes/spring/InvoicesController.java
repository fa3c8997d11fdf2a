package io.github.keycloaksts.recipes.spring;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;

/** The guarded routes (see {@link SecurityConfig}); each answers who called and with which role session. */
@RestController
class InvoicesController {

    @GetMapping("/jwt/invoices")
    Map<String, Object> listByJwt(@AuthenticationPrincipal Jwt jwt) {
        return answer("jwt", jwt.getClaims());
    }

    @PostMapping("/jwt/invoices")
    Map<String, Object> createByJwt(@AuthenticationPrincipal Jwt jwt) {
        return answer("jwt", jwt.getClaims());
    }

    @GetMapping("/jwt/invoices/export")
    Map<String, Object> exportByJwt(@AuthenticationPrincipal Jwt jwt) {
        return answer("jwt", jwt.getClaims());
    }

    @GetMapping("/opaque/invoices")
    Map<String, Object> listByIntrospection(@AuthenticationPrincipal OAuth2AuthenticatedPrincipal principal) {
        return answer("introspection", principal.getAttributes());
    }

    private static Map<String, Object> answer(String how, Map<String, Object> claims) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("verified_by", how);
        answer.put("sub", claims.get("sub"));
        // Present only in a role session: the role whose permissions the caller is using.
        answer.put("assumed_role", claims.get("assumed_role"));
        answer.put("principal", claims.get("principal"));
        answer.put("authorities", SecurityContextHolder.getContext().getAuthentication().getAuthorities().stream()
                .map(GrantedAuthority::getAuthority).sorted().toList());
        return answer;
    }
}
