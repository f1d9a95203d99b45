package dev.segrel.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segrel.core.domain.JobId;
import dev.segrel.core.domain.Span;
import dev.segrel.core.message.TaskMessage.ParseResult;
import dev.segrel.core.message.TaskMessage.Parsed;
import dev.segrel.core.message.TaskMessage.Poison;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaskMessageTest {

    private static final String JOB = "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b";
    private static final JobId JOB_ID = JobId.parse(JOB);

    @Test
    void parsesTheSingleFormatThatProducersSendToday() {
        ParseResult result = TaskMessage.parse(
                "{\"job_id\": \"" + JOB + "\", \"manifestation_id\": \"M\", \"segment_id\": \"S\", \"start\": 0, \"end\": 100}");

        assertThat(result).isEqualTo(new Parsed(List.of(new TaskRequest(JOB_ID, "M", "S", Span.of(0, 100)))));
    }

    @Test
    void parsesTheBatchFormatIgnoringItsInformationalMembers() {
        ParseResult result = TaskMessage.parse("""
                {"root_job_id": "%s", "text_id": "M", "batch_number": 1, "total_segments": 10,
                 "segments": [{"segment_id": "S1", "span": {"start": 0, "end": 100}},
                              {"segment_id": "S2", "span": {"start": 100, "end": 150}}],
                 "source_environment": "DEVELOPMENT", "destination_environment": "PRODUCTION"}
                """.formatted(JOB));

        assertThat(((Parsed) result).requests()).isEqualTo(List.of(
                new TaskRequest(JOB_ID, "M", "S1", Span.of(0, 100)),
                new TaskRequest(JOB_ID, "M", "S2", Span.of(100, 150))));
        assertThat(((Parsed) result).environment()).isEqualTo("DEVELOPMENT");
        assertThat(((Parsed) result).batch()).isEqualTo(new dev.segrel.core.domain.Batch(JOB_ID, "M", 1, 10,
                List.of("S1", "S2"), "DEVELOPMENT", "PRODUCTION"));
    }

    @Test
    void unknownMembersAreIgnoredAnywhere() {
        ParseResult result = TaskMessage.parse("{\"extra\":{\"deep\":[1,2,{}]},\"job_id\":\"" + JOB
                + "\",\"manifestation_id\":\"M\",\"segment_id\":\"S\",\"start\":1,\"end\":2,\"status\":null}");

        assertThat(result).isInstanceOf(Parsed.class);
    }

    @Test
    void aSingleMessageWithoutStartAndEndLeavesTheSpanToTheStoredTask() {
        assertThat(TaskMessage.parse("{\"job_id\":\"" + JOB + "\",\"manifestation_id\":\"M\",\"segment_id\":\"S\"}"))
                .isEqualTo(new Parsed(List.of(new TaskRequest(JOB_ID, "M", "S", null))));
        assertThat(TaskMessage.parse("{\"job_id\":\"" + JOB
                        + "\",\"manifestation_id\":\"M\",\"segment_id\":\"S\",\"start\":null,\"end\":null}"))
                .isEqualTo(new Parsed(List.of(new TaskRequest(JOB_ID, "M", "S", null))));
    }
    void theOlderProducersSegmentIdsListIsReadAsTheSegments() {
        Parsed parsed = (Parsed) TaskMessage.parse("{\"root_job_id\":\"" + JOB + "\",\"text_id\":\"M\","
                + "\"segment_ids\":[{\"segment_id\":\"S\",\"span\":{\"start\":0,\"end\":5}}]}");

        assertThat(parsed.requests()).containsExactly(new TaskRequest(JOB_ID, "M", "S", Span.of(0, 5)));
        assertThat(parsed.batch().destinationEnvironment()).isNull();
        assertThat(parsed.batch().announced()).isFalse();
    }

    @Test
    void anEnvironmentThatIsNotAPlainIdentifierIsPoison() {
        for (String env : List.of("\"DEV-1\"", "\"\"", "\"1DEV\"", "\"A B\"", "3", "\"" + "A".repeat(65) + "\"")) {
            ParseResult result = TaskMessage.parse("{\"root_job_id\":\"" + JOB + "\",\"text_id\":\"M\","
                    + "\"segments\":[{\"segment_id\":\"S\"}],\"source_environment\":" + env + "}");

            assertThat(result).as(env).isInstanceOf(Poison.class);
            assertThat(((Poison) result).reason()).startsWith("source_environment must be");
        }
    }

    @Test
    void batchMessagesRoundTripWithTheirEnvironments() {
        List<TaskRequest> requests = List.of(new TaskRequest(JOB_ID, "M", "S1", Span.of(0, 4)),
                new TaskRequest(JOB_ID, "M", "S2", Span.of(4, 9)));

        Parsed parsed = (Parsed) TaskMessage.parse(TaskMessage.toBatchJson(requests, 3, 40, "DEVELOPMENT", "PRODUCTION"));

        assertThat(parsed.requests()).isEqualTo(requests);
        assertThat(parsed.batch()).isEqualTo(new dev.segrel.core.domain.Batch(JOB_ID, "M", 3, 40, List.of("S1", "S2"),
                "DEVELOPMENT", "PRODUCTION"));
        assertThat(parsed.batch().key()).isEqualTo("3");
    }

    @Test
    void theCompletionMessageOfABatchIsInTheDeployedWorkersFormat() {
        var batch = new dev.segrel.core.domain.Batch(JOB_ID, "M", 2, null, List.of("S2", "S1"), "DEV", "PROD");

        assertThat(BatchCompletion.toJson(batch, 7, 1, 1, 1)).isEqualTo("{\"text_id\":\"M\",\"segment_ids\":[\"S2\",\"S1\"],"
                + "\"total_segments\":7,\"source_environment\":\"DEV\",\"destination_environment\":\"PROD\","
                + "\"root_job_id\":\"" + JOB + "\",\"batch_number\":2,\"run\":1,\"status\":\"FAILED\","
                + "\"completed_segments\":1,\"failed_segments\":1}");
    }

    @Test
    void aBatchWithoutNumberIsKnownByAHashOfItsIds() {
        var a = new dev.segrel.core.domain.Batch(JOB_ID, "M", null, null, List.of("S1", "S2"), null, null);
        var again = new dev.segrel.core.domain.Batch(JOB_ID, "M", null, 5, List.of("S1", "S2", "S1"), "X", null);
        var other = new dev.segrel.core.domain.Batch(JOB_ID, "M", null, null, List.of("S1", "S3"), null, null);

        assertThat(a.key()).matches("h[0-9a-f]{16}").isEqualTo(again.key()).isNotEqualTo(other.key());
    }

    @Test
    void aBatchSegmentWithoutSpanLeavesTheSpanToTheStoredTask() {
        assertThat(TaskMessage.parse("{\"root_job_id\":\"" + JOB + "\",\"text_id\":\"M\",\"segments\":[{\"segment_id\":\"S\"}]}"))
                .isEqualTo(new Parsed(List.of(new TaskRequest(JOB_ID, "M", "S", null)),
                        new dev.segrel.core.domain.Batch(JOB_ID, "M", null, null, List.of("S"), null, null)));
    }

    @Test
    void integralNumbersWrittenAsFloatsAreAccepted() {
        assertThat(TaskMessage.parse(single("\"start\": 10.0, \"end\": 1e2")))
                .isEqualTo(new Parsed(List.of(new TaskRequest(JOB_ID, "M", "S", Span.of(10, 100)))));
    }

    @Test
    void upperCaseUuidsAreAccepted() {
        assertThat(TaskMessage.parse(single("\"start\":0,\"end\":1").replace(JOB, JOB.toUpperCase())))
                .isInstanceOf(Parsed.class);
    }

    @Test
    void hostileLookingIdsAreJustIdsAndSurviveARoundTrip() {
        for (String id : List.of("'; DROP TABLE segment_task;--", "x\"}) MATCH (n) DETACH DELETE n //",
                "\\u0000", "中文 😀 ü", "a\"b\\c", "<script>alert(1)</script>", "$1 {{x}} %s")) {
            TaskRequest request = new TaskRequest(JOB_ID, id, id, Span.of(3, 4));

            assertThat(TaskMessage.parse(TaskMessage.toSingleJson(request))).isEqualTo(new Parsed(List.of(request)));
            assertThat(((Parsed) TaskMessage.parse(TaskMessage.toBatchJson(List.of(request, request), 1, 2))).requests())
                    .isEqualTo(List.of(request, request));
        }
    }

    static Stream<Arguments> poison() {
        String ok = "\"job_id\":\"" + JOB + "\",\"manifestation_id\":\"M\",\"segment_id\":\"S\"";
        String batch = "\"root_job_id\":\"" + JOB + "\",\"text_id\":\"M\"";
        return Stream.of(
                Arguments.of("", "not JSON: empty input at offset 0"),
                Arguments.of("hello", "not JSON: unexpected character 'h', expected a value at offset 0"),
                Arguments.of("{\"job_id\":\"" + JOB + "\",\"manifestation_id\":\"M\"", "not JSON: unexpected end of input, expected ',' or '}' at offset 71"),
                Arguments.of("[]", "body must be a JSON object, was array"),
                Arguments.of("\"job\"", "body must be a JSON object, was string"),
                Arguments.of("null", "body must be a JSON object, was null"),
                Arguments.of("{}", "neither job_id (single format) nor root_job_id (batch format) is present"),
                Arguments.of("{\"job_id\":\"" + JOB + "\",\"segment_id\":\"S\",\"start\":0,\"end\":1}", "manifestation_id is missing"),
                Arguments.of("{\"job_id\":\"" + JOB + "\",\"manifestation_id\":\"M\",\"start\":0,\"end\":1}", "segment_id is missing"),
                Arguments.of("{\"job_id\":42,\"manifestation_id\":\"M\",\"segment_id\":\"S\"}", "job_id must be a string, was number"),
                Arguments.of("{\"job_id\":null,\"manifestation_id\":\"M\",\"segment_id\":\"S\"}", "job_id must be a string, was null"),
                Arguments.of("{\"job_id\":\"not-a-uuid\",\"manifestation_id\":\"M\",\"segment_id\":\"S\"}", "job_id must be a UUID, was \"not-a-uuid\""),
                Arguments.of("{\"job_id\":\"1-1-1-1-1\",\"manifestation_id\":\"M\",\"segment_id\":\"S\"}", "job_id must be a UUID, was \"1-1-1-1-1\""),
                Arguments.of("{\"job_id\":\" " + JOB + "\",\"manifestation_id\":\"M\",\"segment_id\":\"S\"}", "job_id must be a UUID, was \" " + JOB + "\""),
                Arguments.of("{\"job_id\":\"'; DROP TABLE x;--\",\"manifestation_id\":\"M\",\"segment_id\":\"S\"}", "job_id must be a UUID, was \"'; DROP TABLE x;--\""),
                Arguments.of("{\"job_id\":\"" + JOB + "\",\"manifestation_id\":[\"M\"],\"segment_id\":\"S\"}", "manifestation_id must be a string, was array"),
                Arguments.of("{\"job_id\":\"" + JOB + "\",\"manifestation_id\":\"M\",\"segment_id\":\"\"}", "segment_id is empty"),
                Arguments.of("{\"job_id\":\"" + JOB + "\",\"manifestation_id\":\"\",\"segment_id\":\"S\"}", "manifestation_id is empty"),
                Arguments.of("{\"job_id\":\"" + JOB + "\",\"manifestation_id\":\"M\",\"segment_id\":\"a\\u0000b\"}", "segment_id contains a control character, was \"a\\u0000b\""),
                Arguments.of("{\"job_id\":\"" + JOB + "\",\"manifestation_id\":\"M\",\"segment_id\":\"a\\nb\"}", "segment_id contains a control character, was \"a\\nb\""),
                Arguments.of("{\"job_id\":\"" + JOB + "\",\"manifestation_id\":\"M\",\"segment_id\":\"" + "x".repeat(1001) + "\"}", "segment_id is 1001 characters, over the limit of 1000"),
                Arguments.of("{" + ok + ",\"start\":0}", "end is missing (start is present)"),
                Arguments.of("{" + ok + ",\"end\":5}", "start is missing (end is present)"),
                Arguments.of("{" + ok + ",\"start\":\"0\",\"end\":5}", "start must be an integer, was string"),
                Arguments.of("{" + ok + ",\"start\":0,\"end\":true}", "end must be an integer, was boolean"),
                Arguments.of("{" + ok + ",\"start\":0.5,\"end\":5}", "start must be an integer, was \"0.5\""),
                Arguments.of("{" + ok + ",\"start\":-1,\"end\":5}", "start must be >= 0, was -1"),
                Arguments.of("{" + ok + ",\"start\":5,\"end\":5}", "start must be < end, was [5, 5)"),
                Arguments.of("{" + ok + ",\"start\":6,\"end\":5}", "start must be < end, was [6, 5)"),
                Arguments.of("{" + ok + ",\"start\":0,\"end\":2147483648}", "end is out of the int range, was 2147483648"),
                Arguments.of("{" + ok + ",\"start\":0,\"end\":99999999999999999999999}", "end is out of the int range, was \"99999999999999999999999\""),
                Arguments.of("{" + ok + ",\"start\":0,\"end\":1e999999999}", "end is out of the int range, was \"1E+999999999\""),
                Arguments.of("{" + ok + ",\"start\":1e-999999999,\"end\":1}", "start must be an integer, was \"1E-999999999\""),
                Arguments.of("{" + ok + ",\"job_id\":\"" + JOB + "\"}", "not JSON: duplicate member name \"job_id\" at offset 89"),
                Arguments.of("{" + batch + "}", "segments is missing"),
                Arguments.of("{" + batch + ",\"segments\":null}", "segments must be an array, was null"),
                Arguments.of("{" + batch + ",\"segments\":{}}", "segments must be an array, was object"),
                Arguments.of("{" + batch + ",\"segments\":[]}", "segments is empty"),
                Arguments.of("{" + batch + ",\"segments\":[\"S\"]}", "segments[0] must be an object, was string"),
                Arguments.of("{" + batch + ",\"segments\":[{\"segment_id\":\"A\"},{\"span\":{\"start\":0,\"end\":1}}]}", "segments[1].segment_id is missing"),
                Arguments.of("{" + batch + ",\"segments\":[{\"segment_id\":\"A\",\"span\":[0,1]}]}", "segments[0].span must be an object, was array"),
                Arguments.of("{" + batch + ",\"segments\":[{\"segment_id\":\"A\",\"span\":{}}]}", "segments[0].span has neither start nor end"),
                Arguments.of("{" + batch + ",\"segments\":[{\"segment_id\":\"A\",\"span\":{\"start\":3,\"end\":1}}]}", "segments[0].span.start must be < segments[0].span.end, was [3, 1)"),
                Arguments.of("{" + batch + ",\"segments\":[{\"segment_id\":\"A\",\"span\":{\"start\":0,\"end\":\"9\"}}]}", "segments[0].span.end must be an integer, was string"),
                Arguments.of("{\"root_job_id\":\"x\",\"text_id\":\"M\",\"segments\":[{\"segment_id\":\"A\"}]}", "root_job_id must be a UUID, was \"x\""),
                Arguments.of("{\"root_job_id\":\"" + JOB + "\",\"segments\":[{\"segment_id\":\"A\"}]}", "text_id is missing"),
                Arguments.of("[".repeat(10_000), "not JSON: nesting deeper than 16 levels at offset 16"));
    }

    @ParameterizedTest
    @MethodSource
    void poison(String body, String reason) {
        assertThat(TaskMessage.parse(body)).isEqualTo(new Poison(reason));
    }

    @Test
    void everyTruncationOfAValidBodyIsPoisonWithAOneLineReason() {
        String body = TaskMessage.toBatchJson(List.of(new TaskRequest(JOB_ID, "M \"q\" 中", "S\\1", Span.of(0, 10)),
                new TaskRequest(JOB_ID, "M \"q\" 中", "S2", null)), 3, 9);

        for (int cut = 0; cut < body.length(); cut++) {
            ParseResult result = TaskMessage.parse(body.substring(0, cut));
            assertThat(result).as("cut at %d", cut).isInstanceOf(Poison.class);
            assertThat(((Poison) result).reason()).doesNotContain("\n").doesNotContain("\r");
        }
        assertThat(TaskMessage.parse(body)).isInstanceOf(Parsed.class);
    }

    @Test
    void reasonsQuoteOnlyAShortEscapedExcerptOfABadValue() {
        Poison poison = (Poison) TaskMessage.parse("{\"job_id\":\"" + "\\n".repeat(500) + "\"}");

        assertThat(poison.reason()).hasSizeLessThan(200).doesNotContain("\n").startsWith("job_id must be a UUID, was \"\\n");
    }

    @Test
    void aBodyOverTheSizeLimitIsPoisonWithoutBeingParsed() {
        String huge = "{\"pad\":\"" + "x".repeat(TaskMessage.MAX_BODY_CHARS) + "\"}";

        assertThat(TaskMessage.parse(huge))
                .isEqualTo(new Poison("body is 1048586 characters, over the limit of 1048576"));
    }

    @Test
    void aNullBodyIsPoison() {
        assertThat(TaskMessage.parse(null)).isEqualTo(new Poison("body is null"));
    }

    @Test
    void rendersTheSingleFormatExactly() {
        assertThat(TaskMessage.toSingleJson(new TaskRequest(JOB_ID, "M", "S", Span.of(0, 100))))
                .isEqualTo("{\"job_id\":\"" + JOB + "\",\"manifestation_id\":\"M\",\"segment_id\":\"S\",\"start\":0,\"end\":100}");
        assertThat(TaskMessage.toSingleJson(new TaskRequest(JOB_ID, "M", "S", null)))
                .isEqualTo("{\"job_id\":\"" + JOB + "\",\"manifestation_id\":\"M\",\"segment_id\":\"S\"}");
    }

    @Test
    void rendersTheBatchFormatExactly() {
        String body = TaskMessage.toBatchJson(List.of(
                new TaskRequest(JOB_ID, "M", "S1", Span.of(0, 100)), new TaskRequest(JOB_ID, "M", "S2", null)), 1, 10);

        assertThat(body).isEqualTo("{\"root_job_id\":\"" + JOB + "\",\"text_id\":\"M\",\"batch_number\":1,"
                + "\"total_segments\":10,\"segments\":[{\"segment_id\":\"S1\",\"span\":{\"start\":0,\"end\":100}},"
                + "{\"segment_id\":\"S2\"}]}");
    }

    @Test
    void aBatchMustBeOfOneJobAndNotEmpty() {
        TaskRequest a = new TaskRequest(JOB_ID, "M", "S", null);
        TaskRequest b = new TaskRequest(JobId.random(), "M", "S", null);

        assertThatThrownBy(() -> TaskMessage.toBatchJson(List.of(a, b), 1, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("requests[1] is of job");
        assertThatThrownBy(() -> TaskMessage.toBatchJson(List.of(), 1, 0)).hasMessage("requests is empty");
    }

    private static String single(String spanMembers) {
        return "{\"job_id\":\"" + JOB + "\",\"manifestation_id\":\"M\",\"segment_id\":\"S\"," + spanMembers + "}";
    }
}
