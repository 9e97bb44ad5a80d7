package momentum.consumer;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads every committed record of a Momentum topic with the CloudEvents Java SDK (structured
 * mode, told by the record's {@code content-type} header) and validates each event's data
 * against the published JSON Schema of its {@code dataschema}. Prints one summary line and
 * exits 1 if any record could not be read or is invalid.
 *
 * <p>Usage: {@code java -jar momentum-java-consumer.jar [bootstrap] [topic] [schemas-dir]}
 */
public final class ValidateTopic {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(120);
    private static final int SHOWN_FAILURES = 20;

    private final EventSchemas schemas;
    private final Map<String, Integer> readByType = new TreeMap<>();
    private final Report report = new Report();

    private ValidateTopic(EventSchemas schemas) {
        this.schemas = schemas;
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args.length > 0 ? args[0] : "127.0.0.1:9092";
        String topic = args.length > 1 ? args[1] : "momentum.events";
        String schemasDir = args.length > 2 ? args[2] : "../../docs/events";
        ValidateTopic run = new ValidateTopic(EventSchemas.load(java.nio.file.Path.of(schemasDir)));
        run.readAll(bootstrap, topic);
        System.exit(run.report.print(run.readByType));
    }

    private void readAll(String bootstrap, String topic) {
        try (KafkaConsumer<String, CloudEvent> consumer = new KafkaConsumer<>(config(bootstrap))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);  // read_committed: the last stable offsets
            Instant deadline = Instant.now().plus(READ_TIMEOUT);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                if (Instant.now().isAfter(deadline)) {
                    report.fail("topic", "not read to its end offsets " + ends + " in " + READ_TIMEOUT);
                    return;
                }
                try {
                    consumer.poll(Duration.ofMillis(500)).forEach(this::check);
                } catch (RecordDeserializationException unreadable) {
                    // the SDK could not make a CloudEvent of this record: count it and go past it
                    TopicPartition tp = unreadable.topicPartition();
                    report.read();
                    report.fail(tp + "@" + unreadable.offset(), "not a CloudEvent: " + rootMessage(unreadable));
                    consumer.seek(tp, unreadable.offset() + 1);
                }
            }
        }
    }

    private void check(ConsumerRecord<String, CloudEvent> record) {
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        CloudEvent event = record.value();
        report.read();
        readByType.merge(event.getType(), 1, Integer::sum);
        List<String> problems = schemas.problems(event);
        if (!Objects.equals(record.key(), event.getSubject())) {
            problems.add("key " + record.key() + " is not the subject " + event.getSubject());
        }
        if (problems.isEmpty()) {
            report.valid();
        } else {
            report.fail(where + " " + event.getType(), String.join("; ", problems));
        }
    }

    private static Properties config(String bootstrap) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "momentum-java-consumer");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, CloudEventDeserializer.class);
        return config;
    }

    private static String rootMessage(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** Counts (a failure is one record) and the first failures; scripts and the test read the summary line. */
    private static final class Report {
        private int read;
        private int valid;
        private int failed;
        private final StringBuilder shown = new StringBuilder();

        void read() {
            read++;
        }

        void valid() {
            valid++;
        }

        void fail(String where, String problem) {
            if (failed++ < SHOWN_FAILURES) {
                shown.append("FAIL ").append(where).append(": ").append(problem).append('\n');
            }
        }

        int print(Map<String, Integer> byType) {
            System.err.print(shown);
            byType.forEach((type, count) -> System.out.println("type " + type + " " + count));
            System.out.printf("summary: records=%d valid=%d failures=%d types=%d%n", read, valid, failed, byType.size());
            return failed == 0 ? 0 : 1;
        }
    }
}
