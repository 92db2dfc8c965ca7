package io.streamrec.scorer.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Jetty's own error answers in the API's JSON shape {@code {"status":..,"error":..,"message":..}}. Jetty answers some
 * requests before Javalin sees them: a request line or headers too large (414, 431), an unparseable request or an
 * undecodable path such as {@code %ZZ} (400). Its default ErrorHandler writes HTML pages for those, which breaks the
 * API's promise that every error is JSON.
 */
final class JsonErrorHandler extends ErrorHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    JsonErrorHandler() {
        setShowStacks(false);
        setShowServlet(false);
    }

    /** The one body every error shares, also used by the Javalin exception handlers. */
    static Map<String, Object> body(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        String reason = HttpStatus.getMessage(status);
        body.put("error", reason == null ? "Error" : reason);
        body.put("message", message == null || message.isBlank() ? reason : message);
        return body;
    }

    static byte[] bytes(int status, String message) {
        try {
            return JSON.writeValueAsBytes(body(status, message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and an int always serializes", e);
        }
    }

    /**
     * Errors on requests Jetty cannot even hand to a handler (oversized URI or headers, broken request line): the
     * body is sent as is, so it carries its own content type.
     */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(bytes(status, describe(status, reason)));
    }

    /** Every method gets a body: the default writes none for PUT or DELETE. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    /** Errors Jetty raises while dispatching (e.g. a path that does not decode), whatever the client accepts. */
    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response,
                                              int code, String message) throws IOException {
        baseRequest.setHandled(true);
        byte[] body = bytes(code, describe(code, message));
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** Jetty's reasons are terse ("URI Too Long", "Bad Request"): say what to fix where the status allows it. */
    private static String describe(int status, String reason) {
        return switch (status) {
            case 414 -> "request URI too long" + detail(reason) + ": shorten the query string";
            case 431 -> "request headers too large" + detail(reason) + ": send fewer or shorter headers";
            // Jetty's reason is often just "Bad Request": name the usual causes so a client knows where to look.
            case 400 -> reason == null || reason.equalsIgnoreCase("Bad Request")
                    ? "malformed request: undecodable or ambiguous path (e.g. %ZZ, %00, encoded '..'), or a bad request line or header"
                    : "malformed request: " + reason;
            default -> reason;
        };
    }

    /** Jetty's own reason in parentheses, when it gave one: an empty "()" says nothing. */
    private static String detail(String reason) {
        return reason == null || reason.isBlank() ? "" : " (" + reason + ")";
    }
}
