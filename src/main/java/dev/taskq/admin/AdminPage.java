package dev.taskq.admin;

import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The admin page's files, shipped in the jar: one HTML page, its script and its style sheet, no CDN and no build
 * step. The page draws everything with DOM text nodes, and its Content-Security-Policy allows no script but its
 * own, so a task's arguments or error can never run in the admin's browser.
 */
final class AdminPage {

    private static final String FOLDER = "/dev/taskq/admin/page/";
    private static final Map<String, String> TYPES = Map.of("admin.js", "text/javascript; charset=utf-8",
            "admin.css", "text/css; charset=utf-8");
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'self'; form-action 'none'; frame-ancestors 'none'";
    private static final String INDEX = read("index.html");
    private static final Map<String, String> FILES = Map.of("admin.js", read("admin.js"), "admin.css",
            read("admin.css"));

    private AdminPage() {
    }

    /** @return the page, its relative links resolved against the resource's own path */
    static Response html(URI resource) {
        String path = resource.getRawPath();
        String base = path.endsWith("/") ? path : path + "/";
        return secured(Response.ok(INDEX.replace("{{base}}", escape(base)), "text/html; charset=utf-8"));
    }

    /** @return one of the page's files, or 404 for any other name */
    static Response file(String name) {
        String type = TYPES.get(name);
        if (type == null) {
            return Response.status(Response.Status.NOT_FOUND).type("text/plain").entity("No page file " + name)
                    .build();
        }
        return secured(Response.ok(FILES.get(name), type));
    }

    private static Response secured(Response.ResponseBuilder response) {
        return response.header("Content-Security-Policy", POLICY).header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer").header("Cache-Control", "no-cache").build();
    }

    private static String read(String name) {
        try (InputStream in = AdminPage.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("The TaskQ jar lacks " + FOLDER + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
