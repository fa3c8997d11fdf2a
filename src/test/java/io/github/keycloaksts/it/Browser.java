package io.github.keycloaksts.it;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser as far as Keycloak's login pages need one: cookies, redirects, HTML forms (including the self-posting
 * forms of SAML's HTTP-POST binding). Stops at the application's redirect URI and returns the authorization code.
 */
final class Browser {

    private static final Pattern FORM = Pattern.compile("<form[^>]*action=\"([^\"]+)\"[^>]*>(.*?)</form>", Pattern.DOTALL);
    private static final Pattern INPUT = Pattern.compile("<input([^>]*)>", Pattern.DOTALL);
    private static final Pattern ATTRIBUTE = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    /**
     * Cookies by path and name. Kept by hand because Keycloak marks its cookies {@code Secure} (browsers treat
     * localhost as secure), which java.net's cookie handler then never sends over plain HTTP.
     */
    private final Map<String, Map<String, String>> cookies = new LinkedHashMap<>();
    private final String redirectUri;
    private String code;
    private HttpResponse<String> page;

    Browser(String redirectUri) {
        this.redirectUri = redirectUri;
    }

    /** Opens a URL and follows redirects until a page is shown (or the app gets its code). */
    Browser open(String url) {
        return go(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    /**
     * Fills the page's first form with {@code fields} (other inputs keep the values the page gave them) and submits
     * it. A page whose only form is self-posting (SAML) is submitted as it is by {@link #autoSubmit()}.
     */
    Browser submit(Map<String, String> fields) {
        Matcher form = FORM.matcher(page.body());
        if (!form.find()) {
            throw new AssertionError("no form on " + page.uri() + ": " + page.body());
        }
        Map<String, String> values = new LinkedHashMap<>();
        Matcher input = INPUT.matcher(form.group(2));
        while (input.find()) {
            Map<String, String> attributes = new LinkedHashMap<>();
            Matcher attribute = ATTRIBUTE.matcher(input.group(1));
            while (attribute.find()) {
                attributes.put(attribute.group(1).toLowerCase(), unescape(attribute.group(2)));
            }
            if (attributes.containsKey("name") && !"submit".equals(attributes.get("type"))) {
                values.put(attributes.get("name"), attributes.getOrDefault("value", ""));
            }
        }
        values.putAll(fields);
        String action = page.uri().resolve(unescape(form.group(1))).toString();
        return go(HttpRequest.newBuilder(URI.create(action)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Http.formBody(values))));
    }

    /** Submits self-posting forms (SAML HTTP-POST binding) until a page that needs a person is shown. */
    Browser autoSubmit() {
        while (code == null && page.body().contains("SAMLRequest") || code == null && page.body().contains("SAMLResponse")) {
            submit(Map.of());
        }
        return this;
    }

    /** The value of a (hidden) input of the page's first form, e.g. the SAMLResponse an IdP is about to post. */
    String field(String name) {
        Matcher form = FORM.matcher(page.body());
        if (form.find()) {
            Matcher input = INPUT.matcher(form.group(2));
            while (input.find()) {
                if (input.group(1).contains("name=\"" + name + "\"")) {
                    Matcher value = Pattern.compile("value=\"([^\"]*)\"").matcher(input.group(1));
                    if (value.find()) {
                        return unescape(value.group(1));
                    }
                }
            }
        }
        throw new AssertionError("no field " + name + " on " + page.uri() + ": " + page.body());
    }

    boolean showsForm(String marker) {
        return code == null && page.body().contains(marker);
    }

    String body() {
        return page.body();
    }

    /** The authorization code the application received; fails when the login did not get there. */
    String code() {
        if (code == null) {
            throw new AssertionError("the login did not reach the application; last page " + page.uri() + ": " + page.body());
        }
        return code;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
        String path = built.uri().getPath();
        StringBuilder header = new StringBuilder();
        cookies.forEach((cookiePath, jar) -> {
            if (path.startsWith(cookiePath)) {
                jar.forEach((name, value) -> header.append(header.length() == 0 ? "" : "; ").append(name).append('=').append(value));
            }
        });
        if (header.length() > 0) {
            built = HttpRequest.newBuilder(built, (name, value) -> true).header("Cookie", header.toString()).build();
        }
        HttpResponse<String> response = client.send(built, HttpResponse.BodyHandlers.ofString());
        for (String setCookie : response.headers().allValues("Set-Cookie")) {
            String[] parts = setCookie.split(";");
            int eq = parts[0].indexOf('=');
            String cookiePath = "/";
            boolean expired = false;
            for (int i = 1; i < parts.length; i++) {
                String attribute = parts[i].trim();
                if (attribute.regionMatches(true, 0, "Path=", 0, 5)) {
                    cookiePath = attribute.substring(5);
                } else if (attribute.regionMatches(true, 0, "Max-Age=0", 0, 9)) {
                    expired = true;
                }
            }
            Map<String, String> jar = cookies.computeIfAbsent(cookiePath, p -> new LinkedHashMap<>());
            if (expired || eq + 1 == parts[0].length()) {
                jar.remove(parts[0].substring(0, eq));
            } else {
                jar.put(parts[0].substring(0, eq), parts[0].substring(eq + 1));
            }
        }
        return response;
    }

    private Browser go(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = send(request);
            for (int hops = 0; response.statusCode() / 100 == 3 && hops < 20; hops++) {
                String location = response.headers().firstValue("Location").orElseThrow();
                URI next = response.uri().resolve(location);
                if (next.toString().startsWith(redirectUri)) {
                    code = query(next, "code");
                    page = response;
                    return this;
                }
                response = send(HttpRequest.newBuilder(next).GET());
            }
            page = response;
            return this;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String query(URI uri, String name) {
        for (String pair : uri.getRawQuery().split("&")) {
            if (pair.startsWith(name + "=")) {
                return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no " + name + " in " + uri);
    }

    private static String unescape(String html) {
        return html.replace("&amp;", "&").replace("&quot;", "\"").replace("&#x3d;", "=").replace("&#61;", "=")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&#x2f;", "/").replace("&#47;", "/")
                .replace("&#x3a;", ":").replace("&#x2b;", "+");
    }
}
