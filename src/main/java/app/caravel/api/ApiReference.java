package app.caravel.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

/**
 * docs/API.md, rendered from the OpenAPI document the server serves (one source: the route table), so the
 * reference in the repository can't drift from the API; a test compares the two. {@code make docs} writes it.
 */
public final class ApiReference {
    private ApiReference() {
    }

    public static void main(String[] args) {
        System.out.print(markdown(OpenApiDocument.build("http://127.0.0.1:3000")));
    }

    public static String markdown(JsonNode doc) {
        StringBuilder md = new StringBuilder();
        md.append("# API reference\n\n")
                .append("Generated from `GET /openapi.json` by `make docs`; a test keeps this file equal to it.\n\n")
                .append(doc.path("info").path("description").asText()).append("\n\n");
        md.append("## Error codes\n\n| code | status | meaning |\n|---|---|---|\n");
        for (JsonNode code : doc.path("info").path("x-error-codes")) {
            md.append("| `").append(code.path("code").asText()).append("` | ").append(code.path("status").asInt())
                    .append(" | ").append(code.path("meaning").asText()).append(" |\n");
        }
        md.append("\n## Routes\n");
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                route(md, op.getKey().toUpperCase(java.util.Locale.ROOT), path.getKey(), op.getValue());
            }
        }
        md.append("\n## Schemas\n");
        for (Iterator<Map.Entry<String, JsonNode>> schemas = doc.path("components").path("schemas").fields(); schemas.hasNext(); ) {
            Map.Entry<String, JsonNode> schema = schemas.next();
            md.append("\n### ").append(schema.getKey()).append("\n\n| field | type |\n|---|---|\n");
            for (Iterator<Map.Entry<String, JsonNode>> fields = schema.getValue().path("properties").fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                md.append("| `").append(field.getKey()).append("` | ").append(type(field.getValue())).append(" |\n");
            }
        }
        return md.toString();
    }

    private static void route(StringBuilder md, String method, String path, JsonNode op) {
        md.append("\n### ").append(method).append(' ').append(path).append("\n\n").append(op.path("summary").asText())
                .append("\n\n- ").append(op.path("security").isEmpty() ? "public (no signature)" : "signed (NIP-98)").append('\n');
        for (JsonNode parameter : op.path("parameters")) {
            md.append("- ").append(parameter.path("in").asText()).append(" parameter `").append(parameter.path("name").asText())
                    .append('`').append(parameter.has("description") ? ": " + parameter.path("description").asText() : "").append('\n');
        }
        if (op.has("requestBody")) {
            md.append("- body: ").append(type(op.path("requestBody").path("content").path("application/json").path("schema")))
                    .append(op.path("requestBody").path("required").asBoolean() ? "" : " (optional)").append('\n');
        }
        for (Iterator<Map.Entry<String, JsonNode>> answers = op.path("responses").fields(); answers.hasNext(); ) {
            Map.Entry<String, JsonNode> answer = answers.next();
            JsonNode schema = answer.getValue().path("content").path("application/json").path("schema");
            if (answer.getValue().has("x-codes")) {
                StringBuilder codes = new StringBuilder();
                answer.getValue().path("x-codes").forEach(c -> codes.append(codes.length() == 0 ? "" : ", ").append('`').append(c.asText()).append('`'));
                md.append("- ").append(answer.getKey()).append(": ").append(codes).append('\n');
            } else {
                JsonNode data = schema.path("properties").path("data");
                md.append("- ").append(answer.getKey()).append(": ").append(data.isMissingNode() ? "the document itself" : type(data)).append('\n');
            }
        }
    }

    private static String type(JsonNode schema) {
        if (schema.has("$ref")) {
            return "`" + schema.path("$ref").asText().replace("#/components/schemas/", "") + "`";
        }
        if ("array".equals(schema.path("type").asText())) {
            return "list of " + type(schema.path("items"));
        }
        return schema.has("type") ? schema.path("type").asText() : schema.path("description").asText("any");
    }
}
