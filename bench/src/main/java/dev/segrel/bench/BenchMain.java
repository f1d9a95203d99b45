package dev.segrel.bench;

import java.io.PrintWriter;
import java.util.Optional;

/** {@code java -cp … dev.segrel.bench.BenchMain [K] [N] [W] [sample] [E]}: the benchmark without the CLI. */
public final class BenchMain {

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        int k = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int w = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int sample = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        int e2e = args.length > 4 ? Integer.parseInt(args[4]) : n;
        PrintWriter err = new PrintWriter(System.err, true);
        Bench.Result r = Bench.run(new Bench.Options(k, n, w, 42, sample, Optional.ofNullable(System.getenv("DRAGONFLY_URL")), e2e), err);
        System.out.print(r.table());
        System.out.println(r.json());
    }
}
