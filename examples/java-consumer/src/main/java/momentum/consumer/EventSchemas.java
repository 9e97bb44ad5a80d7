package momentum.consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The published JSON Schemas (docs/events/, one envelope schema per event type), by `$id`. */
final class EventSchemas {
    private static final String DIALECT = SpecificationVersion.DRAFT_2020_12.getDialectId();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Schema> dataSchemas;
    private final Map<String, String> types;

    private EventSchemas(Map<String, Schema> dataSchemas, Map<String, String> types) {
        this.dataSchemas = dataSchemas;
        this.types = types;
    }

    /** Every schema that index.json lists; the `data` part of each, in the dialect it declares. */
    static EventSchemas load(Path dir) throws IOException {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        Map<String, Schema> dataSchemas = new HashMap<>();
        Map<String, String> types = new HashMap<>();
        for (JsonNode name : JSON.readTree(dir.resolve("index.json").toFile()).get("schemas")) {
            JsonNode envelope = JSON.readTree(dir.resolve(name.asText()).toFile());
            if (!DIALECT.equals(envelope.path("$schema").asText())) {
                throw new IllegalStateException(name.asText() + " does not declare JSON Schema 2020-12");
            }
            ObjectNode data = envelope.path("properties").path("data").deepCopy();
            data.put("$schema", DIALECT);
            String id = envelope.get("$id").asText();
            dataSchemas.put(id, registry.getSchema(data));
            types.put(id, envelope.path("properties").path("type").path("const").asText());
        }
        return new EventSchemas(dataSchemas, types);
    }

    /** What is wrong with this event, or nothing. */
    List<String> problems(CloudEvent event) {
        List<String> problems = new ArrayList<>();
        String id = event.getDataSchema() == null ? "" : event.getDataSchema().toString();
        Schema schema = dataSchemas.get(id);
        if (schema == null) {
            problems.add("no published schema for dataschema " + id);
            return problems;
        }
        if (!types.get(id).equals(event.getType())) {
            problems.add("type " + event.getType() + " does not match dataschema " + id);
        }
        if (!"application/json".equals(event.getDataContentType())) {
            problems.add("datacontenttype is " + event.getDataContentType());
        }
        CloudEventData data = event.getData();
        if (data == null) {
            problems.add("no data");
            return problems;
        }
        try {
            for (Error error : schema.validate(JSON.readTree(data.toBytes()))) {
                problems.add(error.getInstanceLocation() + ": " + error.getMessage());
            }
        } catch (IOException unparsable) {
            problems.add("data is not JSON: " + unparsable.getMessage());
        }
        return problems;
    }
}
