package dev.segrel.testkit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Where the cache tests' server comes from, and that the in-process one speaks the protocol. */
class TestingRedisTest {

    @Test
    void withNoUrlAndNothingOnTheLocalPortTheInProcessServerIsUsedNotASkip() {
        assertThat(TestingRedis.source(null, false)).isEqualTo(TestingRedis.Source.IN_PROCESS);
        assertThat(TestingRedis.source("  ", false)).isEqualTo(TestingRedis.Source.IN_PROCESS);
        assertThat(TestingRedis.source(null, true)).isEqualTo(TestingRedis.Source.LOCAL);
        assertThat(TestingRedis.source("redis://cache:6379/2", true)).isEqualTo(TestingRedis.Source.CONFIGURED);
        assertThat(TestingRedis.source("in-process", true)).isEqualTo(TestingRedis.Source.IN_PROCESS);
    }

    @Test
    void theInProcessServerAnswersSetGetDelAndScanAndRefusesHelloLikeARespTwoServer() throws Exception {
        try (InProcessRedis redis = InProcessRedis.start();
                Socket s = new Socket("127.0.0.1", redis.port())) {
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            assertThat(call(out, in, "HELLO", "3")).startsWith("-ERR");
            assertThat(call(out, in, "SELECT", "3")).isEqualTo("+OK");
            assertThat(call(out, in, "SET", "segrel:a", "1", "EX", "60")).isEqualTo("+OK");
            assertThat(call(out, in, "GET", "segrel:a")).isEqualTo("$1");
            assertThat(in.readLine()).isEqualTo("1");
            assertThat(call(out, in, "TTL", "segrel:a")).isEqualTo(":60");
            assertThat(call(out, in, "SCAN", "0", "MATCH", "segrel:*", "COUNT", "10")).isEqualTo("*2");
            assertThat(in.readLine()).isEqualTo("$1");
            assertThat(in.readLine()).isEqualTo("0");
            assertThat(in.readLine()).isEqualTo("*1");
            assertThat(in.readLine()).isEqualTo("$8");
            assertThat(in.readLine()).isEqualTo("segrel:a");
            assertThat(call(out, in, "DEL", "segrel:a", "other")).isEqualTo(":1");
            assertThat(call(out, in, "GET", "segrel:a")).isEqualTo("$-1");
            assertThat(call(out, in, "SELECT", "0")).isEqualTo("+OK");
            assertThat(call(out, in, "DBSIZE")).as("databases are separate").isEqualTo(":0");
        }
    }

    private static String call(OutputStream out, BufferedReader in, String... args) throws Exception {
        StringBuilder b = new StringBuilder("*" + args.length + "\r\n");
        for (String a : args) {
            b.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return in.readLine();
    }
}
