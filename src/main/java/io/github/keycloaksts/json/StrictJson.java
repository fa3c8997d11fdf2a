package io.github.keycloaksts.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The one place request bodies become JSON trees. Hostile input is stopped while parsing, before any tree is
 * built: bodies over a size cap, nesting deeper than {@link #MAX_DEPTH}, duplicate keys (which different parsers
 * resolve differently, a known policy-confusion trick), trailing garbage and absurdly long numbers.
 */
public final class StrictJson {

    /** Trust policies nest about six levels deep; 32 leaves room and stops stack-exhaustion payloads. */
    public static final int MAX_DEPTH = 32;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .maxNumberLength(32)
                            .maxStringLength(1 << 20)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private StrictJson() {
    }

    /**
     * Reads one JSON value of at most {@code maxBytes} bytes.
     *
     * @throws MalformedJsonException if the body is empty, too large, too deep or not JSON
     */
    public static JsonNode read(InputStream body, int maxBytes) {
        byte[] bytes;
        try {
            bytes = body == null ? new byte[0] : body.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw new MalformedJsonException("the request body could not be read", false);
        }
        if (bytes.length > maxBytes) {
            throw new MalformedJsonException("the request body is larger than " + maxBytes + " bytes", true);
        }
        return read(bytes);
    }

    static JsonNode read(byte[] bytes) {
        if (bytes.length == 0) {
            throw new MalformedJsonException("the request body is empty; a JSON document is required", false);
        }
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new MalformedJsonException("the request body is empty; a JSON document is required", false);
            }
            refuseLoneSurrogates(node, "");
            return node;
        } catch (StreamConstraintsException e) {
            throw new MalformedJsonException("the JSON document exceeds a parser limit (nesting deeper than "
                    + MAX_DEPTH + " levels, or a number or string too long)", false);
        } catch (JsonProcessingException e) {
            throw new MalformedJsonException("malformed JSON: " + describe(e), false);
        } catch (IOException e) {
            throw new MalformedJsonException("the request body could not be read", false);
        }
    }

    /**
     * JSON allows an escaped lone surrogate ({@code "\\udfff"}), which is no Unicode text: databases store it as
     * {@code ?}, so a condition value {@code "secret\\udfff"} would come back as the wildcard {@code "secret?"}. Such
     * a string is refused, naming where it is, never stored altered.
     */
    private static void refuseLoneSurrogates(JsonNode node, String pointer) {
        if (node.isTextual()) {
            refuseLoneSurrogates(node.textValue(), pointer);
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                refuseLoneSurrogates(node.get(i), pointer + "/" + i);
            }
        } else if (node.isObject()) {
            for (java.util.Iterator<java.util.Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                java.util.Map.Entry<String, JsonNode> field = it.next();
                String child = pointer + "/" + field.getKey().replace("~", "~0").replace("/", "~1");
                refuseLoneSurrogates(field.getKey(), child);
                refuseLoneSurrogates(field.getValue(), child);
            }
        }
    }

    private static void refuseLoneSurrogates(String text, String pointer) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new MalformedJsonException("malformed JSON: " + (pointer.isEmpty() ? "/" : pointer)
                        + " holds a lone UTF-16 surrogate (\\u" + Integer.toHexString(c) + "), which is not Unicode text", false);
            }
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Jackson's own message without the echo of the source, which could carry secrets or huge content. */
    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message != null && message.length() > 200) {
            message = message.substring(0, 200) + "...";
        }
        if (e.getLocation() != null) {
            return message + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        }
        return message;
    }
}
