package io.github.keycloaksts.federation;

import io.github.keycloaksts.oauth.StsException;
import io.github.keycloaksts.subject.ExternalIdentity;

import org.keycloak.broker.saml.SAMLIdentityProviderConfig;
import org.keycloak.common.util.Time;
import org.keycloak.dom.saml.v2.assertion.AssertionType;
import org.keycloak.dom.saml.v2.assertion.AttributeStatementType;
import org.keycloak.dom.saml.v2.assertion.AttributeType;
import org.keycloak.dom.saml.v2.assertion.AudienceRestrictionType;
import org.keycloak.dom.saml.v2.assertion.NameIDType;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.rotation.HardcodedKeyLocator;
import org.keycloak.saml.common.util.DocumentUtil;
import org.keycloak.saml.processing.core.parsers.saml.SAMLParser;
import org.keycloak.saml.processing.core.saml.v2.util.AssertionUtil;
import org.keycloak.saml.processing.core.util.XMLSignatureUtil;
import org.keycloak.saml.validators.ConditionsValidator;
import org.keycloak.saml.validators.DestinationValidator;
import org.keycloak.services.Urls;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.security.Key;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies a SAML 2.0 assertion from a SAML identity provider of the realm presented by a command-line tool (AWS
 * AssumeRoleWithSAML), with Keycloak's own SAML classes as its broker endpoint uses them: Keycloak's hardened XML
 * parser, the assertion's own enveloped signature checked against the provider's signing certificates (and
 * required to reference the assertion's own ID, against signature wrapping), issuer = the provider's entity id,
 * audience = this realm's SP entity id, NotBefore/NotOnOrAfter with the provider's clock skew. An assertion is
 * accepted once: its ID is remembered cluster-wide until it expires (the broker endpoint has no such check).
 */
public final class SamlAssertions {

    public static final String SAML2_TYPE = "urn:ietf:params:oauth:token-type:saml2";
    public static final String ACTION = "sts:AssumeRoleWithSAML";
    private static final String ASSERTION_NS = "urn:oasis:names:tc:SAML:2.0:assertion";
    private static final String PROTOCOL_NS = "urn:oasis:names:tc:SAML:2.0:protocol";
    private static final String DSIG_NS = "http://www.w3.org/2000/09/xmldsig#";
    private static final String REPLAY_PREFIX = "kcsts:saml-assertion:";

    private SamlAssertions() {
    }

    public static ExternalIdentity verify(KeycloakSession session, RealmModel realm, Optional<String> subjectIssuer, String token) {
        Element element = assertionElement(token);
        String issuer = childText(element, "Issuer");
        IdentityProviderModel model = provider(session, subjectIssuer, issuer);
        SAMLIdentityProviderConfig config = new SAMLIdentityProviderConfig(model);
        String invalid = "not a valid SAML assertion of identity provider '" + model.getAlias()
                + "' (signature, issuer, audience or validity period)";
        if (!config.isValidateSignature() || config.getSigningCertificates().length == 0) {
            throw StsException.invalidRequest("subject_issuer", "identity provider '" + model.getAlias()
                    + "' must validate signatures with a configured certificate to be used for SAML assertions");
        }
        String id = element.getAttribute("ID");
        element.setIdAttribute("ID", true);
        if (id.isEmpty() || !referencesOnlyItself(element, id) || !AssertionUtil.isSignatureValid(element, keys(config))) {
            throw StsException.invalidRequest("subject_token", invalid);
        }
        AssertionType assertion;
        try {
            assertion = (AssertionType) SAMLParser.getInstance().parse(DocumentUtil.getNodeAsStream(element));
        } catch (Exception | LinkageError e) {
            throw StsException.invalidRequest("subject_token", invalid);
        }
        int skewMillis = 1000 * config.getAllowedClockSkew();
        URI audience = URI.create(config.getEntityId() != null && !config.getEntityId().isBlank() ? config.getEntityId()
                : Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
        boolean valid;
        try {
            valid = assertion.getIssuer() != null && config.getIdpEntityId().equals(assertion.getIssuer().getValue())
                    && assertion.getConditions() != null && assertion.getConditions().getNotOnOrAfter() != null
                    && new ConditionsValidator.Builder(assertion.getID(), assertion.getConditions(), DestinationValidator.forProtocolMap(null))
                    .clockSkewInMillis(skewMillis).addAllowedAudience(audience).build().isValid()
                    && !AssertionUtil.hasExpired(assertion, skewMillis);
        } catch (Exception e) {
            valid = false;
        }
        String nameId = nameId(assertion);
        if (!valid || nameId == null) {
            throw StsException.invalidRequest("subject_token", invalid);
        }
        long expires = assertion.getConditions().getNotOnOrAfter().toGregorianCalendar().getTimeInMillis() / 1000;
        long ttl = Math.max(1, expires - Time.currentTime() + config.getAllowedClockSkew());
        if (!session.singleUseObjects().putIfAbsent(REPLAY_PREFIX + model.getAlias() + ":" + id, ttl)) {
            throw StsException.invalidRequest("subject_token", "this SAML assertion was already used");
        }
        return new ExternalIdentity(realm, model, io.github.keycloaksts.facts.Origin.SAML, nameId,
                claims(assertion, nameId, audience), ACTION);
    }

    /**
     * RFC 8693 §3: base64url of the assertion's XML; plain base64, and a whole SAML Response, are accepted too, as
     * command-line tools copy the SAMLResponse an IdP posts.
     */
    private static Element assertionElement(String token) {
        Document document;
        try {
            byte[] xml;
            try {
                xml = Base64.getUrlDecoder().decode(token.replace("=", ""));
            } catch (IllegalArgumentException e) {
                xml = Base64.getMimeDecoder().decode(token);
            }
            document = DocumentUtil.getDocument(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            throw StsException.invalidRequest("subject_token", "not a base64url-encoded SAML 2.0 assertion");
        }
        Element element = document.getDocumentElement();
        // A whole Response, as AWS's AssumeRoleWithSAML takes it, is accepted for its one assertion; the Response's
        // own signature is not relied on: the assertion must be signed itself.
        if (element != null && "Response".equals(element.getLocalName()) && PROTOCOL_NS.equals(element.getNamespaceURI())) {
            List<Element> assertions = children(element, ASSERTION_NS, "Assertion");
            element = assertions.size() == 1 ? assertions.get(0) : null;
        }
        if (element == null || !"Assertion".equals(element.getLocalName()) || !ASSERTION_NS.equals(element.getNamespaceURI())) {
            throw StsException.invalidRequest("subject_token", "not a SAML 2.0 assertion, or a Response with exactly one"
                    + " (encrypted assertions are not accepted)");
        }
        return element;
    }

    private static IdentityProviderModel provider(KeycloakSession session, Optional<String> subjectIssuer, String issuer) {
        List<IdentityProviderModel> candidates = session.identityProviders().getAllStream()
                .filter(IdentityProviderModel::isEnabled).filter(model -> "saml".equals(model.getProviderId()))
                .filter(model -> subjectIssuer.map(alias -> alias.equals(model.getAlias()))
                        .orElseGet(() -> issuer != null && issuer.equals(new SAMLIdentityProviderConfig(model).getIdpEntityId())))
                .toList();
        if (candidates.size() != 1) {
            throw StsException.invalidRequest(subjectIssuer.isPresent() ? "subject_issuer" : "subject_token",
                    candidates.isEmpty() ? "no enabled SAML identity provider of this realm " + (subjectIssuer.isPresent()
                            ? "has the alias '" + subjectIssuer.get() + "'" : "issued this assertion")
                            : "several SAML identity providers have this issuer; name one by its alias in subject_issuer");
        }
        return candidates.get(0);
    }

    /** The one ds:Signature child of the assertion signs the assertion itself ({@code URI="#<ID>"}), nothing else. */
    private static boolean referencesOnlyItself(Element assertion, String id) {
        List<Element> signatures = children(assertion, DSIG_NS, "Signature");
        if (signatures.size() != 1) {
            return false;
        }
        NodeList references = signatures.get(0).getElementsByTagNameNS(DSIG_NS, "Reference");
        return references.getLength() == 1 && ("#" + id).equals(((Element) references.item(0)).getAttribute("URI"));
    }

    private static HardcodedKeyLocator keys(SAMLIdentityProviderConfig config) {
        List<Key> keys = new ArrayList<>();
        for (String certificate : config.getSigningCertificates()) {
            try {
                X509Certificate x509 = XMLSignatureUtil.getX509CertificateFromKeyInfoString(certificate.replaceAll("\\s", ""));
                x509.checkValidity();
                keys.add(x509.getPublicKey());
            } catch (Exception e) {
                // An expired or unreadable certificate verifies nothing; the others may.
            }
        }
        return new HardcodedKeyLocator(keys);
    }

    private static String nameId(AssertionType assertion) {
        if (assertion.getSubject() == null || assertion.getSubject().getSubType() == null
                || !(assertion.getSubject().getSubType().getBaseID() instanceof NameIDType nameId)) {
            return null;
        }
        return nameId.getValue() == null || nameId.getValue().isBlank() ? null : nameId.getValue();
    }

    /** {@code sub} (NameID), {@code iss}, {@code aud}, and each attribute by name and friendly name. */
    private static Map<String, List<String>> claims(AssertionType assertion, String nameId, URI audience) {
        Map<String, List<String>> claims = new LinkedHashMap<>();
        claims.put("sub", List.of(nameId));
        claims.put("iss", List.of(assertion.getIssuer().getValue()));
        List<String> audiences = new ArrayList<>();
        assertion.getConditions().getConditions().forEach(condition -> {
            if (condition instanceof AudienceRestrictionType restriction) {
                restriction.getAudience().forEach(uri -> audiences.add(uri.toString()));
            }
        });
        claims.put("aud", audiences.isEmpty() ? List.of(audience.toString()) : audiences);
        for (AttributeStatementType statement : assertion.getAttributeStatements()) {
            for (AttributeStatementType.ASTChoiceType choice : statement.getAttributes()) {
                AttributeType attribute = choice.getAttribute();
                if (attribute == null) {
                    continue;
                }
                List<String> values = attribute.getAttributeValue().stream()
                        .filter(v -> v instanceof String || v instanceof Number || v instanceof Boolean).map(String::valueOf).toList();
                if (!values.isEmpty()) {
                    claims.putIfAbsent(attribute.getName(), values);
                    if (attribute.getFriendlyName() != null) {
                        claims.putIfAbsent(attribute.getFriendlyName(), values);
                    }
                }
            }
        }
        return claims;
    }

    private static String childText(Element parent, String localName) {
        List<Element> found = children(parent, ASSERTION_NS, localName);
        return found.isEmpty() ? null : found.get(0).getTextContent().trim();
    }

    private static List<Element> children(Element parent, String namespace, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child && localName.equals(child.getLocalName()) && namespace.equals(child.getNamespaceURI())) {
                found.add(child);
            }
        }
        return found;
    }
}
