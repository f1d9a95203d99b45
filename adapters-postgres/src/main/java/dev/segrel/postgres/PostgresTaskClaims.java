package dev.segrel.postgres;

import static dev.segrel.postgres.PostgresOutbox.at;
import static java.util.Objects.requireNonNull;

import dev.segrel.core.domain.Lease;
import dev.segrel.core.domain.Span;
import dev.segrel.core.domain.TaskKey;
import dev.segrel.core.domain.TaskState;
import dev.segrel.core.port.out.TaskClaims;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * {@link TaskClaims} on {@code segment_task}: a claim of a set of tasks (a single claim is a set of
 * one) is one statement, which also makes the missing tasks it is asked to; those not claimed take one
 * more read, for the whole set, to say why. Every claim increments {@code lease_token}, which fences
 * the writes of an earlier holder. Extending and releasing a set of leases is one statement each.
 */
public final class PostgresTaskClaims implements TaskClaims {

    /**
     * The set claim, one statement: makes the missing tasks of the requests that name a manifestation
     * (as {@link #CREATE}: only for a job of that manifestation) and claims every claimable task of
     * the set, in {@code (job_id, segment_id)} order. A request without one reaches only a row that
     * exists: it is proposed for insertion only then, so it always meets its row in the conflict. A row
     * made here is made claimed (attempt 1, token 1, as a {@link #create} then a claim would leave it).
     * The claim is {@code DO UPDATE ... WHERE} claimable, on the row's latest version under its lock.
     * Keys are distinct (ON CONFLICT DO UPDATE cannot touch a row twice). A row {@code held} IN_PROGRESS
     * in the statement's snapshot and claimed here was taken over from an expired lease (CTEs read the
     * snapshot, not the claim's writes).
     */
    static final String CLAIM_ALL = """
            WITH r AS (
                SELECT * FROM unnest(CAST(:jobs AS uuid[]), CAST(:segments AS text[]), CAST(:hintStarts AS integer[]),
                                     CAST(:hintEnds AS integer[]), CAST(:createFor AS text[]))
                         WITH ORDINALITY AS r(job_id, segment_id, hint_start, hint_end, create_for, n)),
            held AS (
                SELECT p.job_id, p.segment_id FROM segment_task p JOIN r ON r.job_id = p.job_id AND r.segment_id = p.segment_id
                WHERE p.status = 'IN_PROGRESS'),
            claimed AS (
                INSERT INTO segment_task AS t (job_id, segment_id, status, span_start, span_end, attempts, lease_token,
                                               lease_owner, lease_expires_at, segrel_run, created_at, updated_at)
                SELECT r.job_id, r.segment_id, CAST('IN_PROGRESS' AS %TASK%), r.hint_start, r.hint_end, 1, 1,
                       :owner, :expires, j.segrel_run, :now, :now
                FROM r JOIN root_job j ON j.job_id = r.job_id
                WHERE (r.create_for = j.manifestation_id AND r.hint_start IS NOT NULL)
                   OR EXISTS (SELECT 1 FROM segment_task e WHERE e.job_id = r.job_id AND e.segment_id = r.segment_id)
                ORDER BY r.job_id, r.segment_id
                ON CONFLICT (job_id, segment_id) DO UPDATE
                SET status = 'IN_PROGRESS',
                    lease_owner = EXCLUDED.lease_owner,
                    lease_expires_at = EXCLUDED.lease_expires_at,
                    lease_token = t.lease_token + 1,
                    attempts = CASE WHEN t.segrel_run < EXCLUDED.segrel_run THEN 1 ELSE t.attempts + 1 END,
                    error_message = CASE WHEN t.segrel_run < EXCLUDED.segrel_run THEN NULL ELSE t.error_message END,
                    segrel_run = EXCLUDED.segrel_run,
                    span_start = COALESCE(t.span_start, EXCLUDED.span_start),
                    span_end = COALESCE(t.span_end, EXCLUDED.span_end),
                    updated_at = EXCLUDED.updated_at
                WHERE (t.status IN ('QUEUED', 'RETRYING')
                       OR (t.status = 'IN_PROGRESS' AND (t.lease_expires_at IS NULL OR t.lease_expires_at <= EXCLUDED.updated_at))
                       -- done in an earlier run of its job: a reset job computes every task again
                       OR (t.status IN ('COMPLETED', 'FAILED') AND t.segrel_run < EXCLUDED.segrel_run))
                  AND (t.span_start IS NOT NULL OR EXCLUDED.span_start IS NOT NULL)
                RETURNING t.job_id, t.segment_id, t.task_id, t.lease_token, t.attempts, t.span_start, t.span_end)
            SELECT r.n, c.task_id, c.lease_token, c.attempts, c.span_start, c.span_end, j.manifestation_id,
                   EXISTS (SELECT 1 FROM held h WHERE h.job_id = c.job_id AND h.segment_id = c.segment_id) AS takeover
            FROM claimed c
            JOIN r ON r.job_id = c.job_id AND r.segment_id = c.segment_id
            JOIN root_job j ON j.job_id = c.job_id""";

    /** Why the tasks of a set were not claimed: per key, its row (if any) and its job's. */
    static final String INSPECT_ALL = """
            SELECT r.n, t.status::text AS status, t.lease_owner, t.lease_expires_at, t.attempts, t.error_message,
                   t.span_start, t.job_id IS NOT NULL AS has_task, j.job_id IS NOT NULL AS has_job,
                   t.segrel_run < j.segrel_run AS stale
            FROM unnest(CAST(:jobs AS uuid[]), CAST(:segments AS text[])) WITH ORDINALITY AS r(job_id, segment_id, n)
            LEFT JOIN segment_task t ON t.job_id = r.job_id AND t.segment_id = r.segment_id
            LEFT JOIN root_job j ON j.job_id = t.job_id""";

    /** Extends the leases still held, in one statement. */
    static final String EXTEND_ALL = """
            WITH %s,
            %s
            UPDATE segment_task t SET lease_expires_at = :time
            FROM l WHERE %s AND t.task_id IN (SELECT task_id FROM locked)
            RETURNING l.n""".formatted(TaskTables.LEASES, TaskTables.LOCKED, TaskTables.fenceEach("t", "l"));

    /** Gives back the leases still held (QUEUED, the attempt not counted), in one statement. */
    static final String RELEASE_ALL = """
            WITH %s,
            %s
            UPDATE segment_task t
            SET status = 'QUEUED', attempts = GREATEST(t.attempts - 1, 0), lease_owner = NULL,
                lease_expires_at = NULL, updated_at = :time
            FROM l WHERE %s AND t.task_id IN (SELECT task_id FROM locked)
            RETURNING l.n""".formatted(TaskTables.LEASES, TaskTables.LOCKED, TaskTables.fenceEach("t", "l"));

    /** A task of a job that exists, made once whoever races (the unique key on job and segment). */
    static final String CREATE = """
            WITH j AS (SELECT job_id, manifestation_id, segrel_run FROM root_job WHERE job_id = :job),
            made AS (
                INSERT INTO segment_task (job_id, segment_id, span_start, span_end, attempts, lease_token, segrel_run,
                                          created_at, updated_at)
                SELECT j.job_id, :segment, :start, :end, 0, 0, j.segrel_run, :now, :now
                FROM j WHERE j.manifestation_id = :manifestation
                ON CONFLICT (job_id, segment_id) DO NOTHING
                RETURNING 1)
            SELECT (SELECT manifestation_id FROM j) AS manifestation_id, (SELECT count(*) FROM made) AS made""";

    private final TaskTables tables;
    private final Jdbi jdbi;

    PostgresTaskClaims(TaskTables tables) {
        this.tables = requireNonNull(tables, "tables is null");
        this.jdbi = tables.jdbi();
    }

    @Override
    public ClaimResult claim(TaskKey key, Span spanHint, String owner, Instant now, Duration leaseFor) {
        requireNonNull(key, "key is null");
        return claimAll(List.of(new ClaimRequest(key, spanHint, null)), owner, now, leaseFor).get(0);
    }

    /**
     * One statement makes and claims; one more says why for every request not claimed. A request that
     * turns claimable between the two (its holder gave it back) is claimed on the next turn, with the
     * others of its kind.
     */
    @Override
    public List<ClaimResult> claimAll(List<ClaimRequest> requests, String owner, Instant now, Duration leaseFor) {
        requireNonNull(requests, "requests is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(now, "now is null");
        requireNonNull(leaseFor, "leaseFor is null");
        if (leaseFor.isNegative() || leaseFor.isZero()) {
            throw new IllegalArgumentException("leaseFor must be positive, was " + leaseFor);
        }
        Instant expires = now.plus(leaseFor);
        ClaimResult[] results = new ClaimResult[requests.size()];
        // a key given twice is claimed once: its repeats are held by this owner
        List<Integer> pending = new ArrayList<>(requests.size());
        Set<TaskKey> seen = new HashSet<>();
        for (int i = 0; i < requests.size(); i++) {
            ClaimRequest request = requireNonNull(requests.get(i), "a request is null");
            if (seen.add(request.key())) {
                pending.add(i);
            } else {
                results[i] = new HeldByOther(request.key(), owner, expires);
            }
        }
        if (pending.isEmpty()) {
            return Arrays.asList(results);
        }
        String claimSql = claimAllSql();
        try {
            jdbi.useHandle(h -> {
                List<Integer> left = pending;
                for (int turn = 0; turn < 3 && !left.isEmpty(); turn++) {
                    claimSet(h, claimSql, requests, left, owner, now, expires, results);
                    List<Integer> unclaimed = left.stream().filter(i -> results[i] == null).toList();
                    if (unclaimed.isEmpty()) {
                        return;
                    }
                    whyNot(h, requests, unclaimed, now, results);
                    left = unclaimed.stream().filter(i -> results[i] == null).toList();
                }
                for (int i : left) {
                    results[i] = new HeldByOther(requests.get(i).key(), "unknown", now);
                }
            });
        } catch (JdbiException e) {
            throw Failures.translate(e, "claiming " + describe(requests));
        }
        return Arrays.asList(results);
    }

    private static String describe(List<ClaimRequest> requests) {
        return requests.size() == 1 ? "task " + requests.get(0).key() : requests.size() + " tasks";
    }

    /** The set claim of requests {@code which}: fills in the results of those claimed. */
    private static void claimSet(Handle h, String sql, List<ClaimRequest> requests, List<Integer> which, String owner,
            Instant now, Instant expires, ClaimResult[] results) {
        int size = which.size();
        UUID[] jobs = new UUID[size];
        String[] segments = new String[size];
        Integer[] starts = new Integer[size];
        Integer[] ends = new Integer[size];
        String[] createFor = new String[size];
        for (int k = 0; k < size; k++) {
            ClaimRequest request = requests.get(which.get(k));
            jobs[k] = request.key().jobId().value();
            segments[k] = request.key().segmentId();
            starts[k] = request.spanHint() == null ? null : request.spanHint().start();
            ends[k] = request.spanHint() == null ? null : request.spanHint().end();
            createFor[k] = request.createFor();
        }
        h.createQuery(sql)
                .bindArray("jobs", UUID.class, (Object[]) jobs)
                .bindArray("segments", String.class, (Object[]) segments)
                .bindArray("hintStarts", Integer.class, (Object[]) starts)
                .bindArray("hintEnds", Integer.class, (Object[]) ends)
                .bindArray("createFor", String.class, (Object[]) createFor)
                .bind("owner", owner)
                .bind("expires", at(expires))
                .bind("now", at(now))
                .map((rs, ctx) -> {
                    int i = which.get(rs.getInt("n") - 1);
                    TaskKey key = requests.get(i).key();
                    results[i] = new Claimed(new ClaimedTask(
                            new Lease(rs.getObject("task_id", UUID.class), key, owner, rs.getLong("lease_token"), expires),
                            rs.getString("manifestation_id"),
                            new Span(rs.getInt("span_start"), rs.getInt("span_end")),
                            rs.getInt("attempts"),
                            rs.getBoolean("takeover")));
                    return i;
                })
                .list();
    }

    /** Fills in why each of requests {@code which} was not claimed; leaves those claimable now empty. */
    private static void whyNot(Handle h, List<ClaimRequest> requests, List<Integer> which, Instant now,
            ClaimResult[] results) {
        UUID[] jobs = new UUID[which.size()];
        String[] segments = new String[which.size()];
        for (int k = 0; k < which.size(); k++) {
            TaskKey key = requests.get(which.get(k)).key();
            jobs[k] = key.jobId().value();
            segments[k] = key.segmentId();
        }
        h.createQuery(INSPECT_ALL)
                .bindArray("jobs", UUID.class, (Object[]) jobs)
                .bindArray("segments", String.class, (Object[]) segments)
                .map((rs, ctx) -> {
                    int i = which.get(rs.getInt("n") - 1);
                    results[i] = refusal(rs, requests.get(i), now).orElse(null);
                    return i;
                })
                .list();
    }

    /** Why a task was not claimed, from its {@link #INSPECT_ALL} row; empty when it is claimable now. */
    private static Optional<ClaimResult> refusal(ResultSet rs, ClaimRequest request, Instant now) throws SQLException {
        TaskKey key = request.key();
        if (!rs.getBoolean("has_task") || !rs.getBoolean("has_job")) {
            // a missing task is made only for a job of the request's manifestation, in the claim itself
            return Optional.of(new UnknownTask(key));
        }
        String status = rs.getString("status");
        OffsetDateTime until = rs.getObject("lease_expires_at", OffsetDateTime.class);
        boolean noSpan = rs.getObject("span_start") == null && request.spanHint() == null;
        if (rs.getBoolean("stale") && !status.equals("IN_PROGRESS")) {
            // of an earlier run: claimable, unless it has no span
            return noSpan ? Optional.of(new NoSpan(key)) : Optional.empty();
        }
        return switch (TaskState.valueOf(status)) {
            case COMPLETED -> Optional.of(new AlreadyCompleted(key));
            case FAILED -> Optional.of(new Exhausted(key, rs.getInt("attempts"), rs.getString("error_message")));
            case IN_PROGRESS -> until != null && until.toInstant().isAfter(now)
                    ? Optional.of(new HeldByOther(key, rs.getString("lease_owner"), until.toInstant()))
                    : noSpan ? Optional.of(new NoSpan(key)) : Optional.empty();
            case QUEUED, RETRYING -> noSpan ? Optional.of(new NoSpan(key)) : Optional.empty();
        };
    }

    /** The set claim, with the task status column's type filled in. */
    String claimAllSql() {
        return CLAIM_ALL.replace("%TASK%", tables.taskStatusType());
    }

    @Override
    public Creation create(TaskKey key, String manifestationId, Span span, Instant now) {
        requireNonNull(key, "key is null");
        requireNonNull(manifestationId, "manifestationId is null");
        requireNonNull(span, "span is null");
        requireNonNull(now, "now is null");
        try {
            return jdbi.withHandle(h -> h.createQuery(CREATE)
                    .bind("job", key.jobId().value())
                    .bind("segment", key.segmentId())
                    .bind("manifestation", manifestationId)
                    .bind("start", span.start())
                    .bind("end", span.end())
                    .bind("now", at(now))
                    .map((rs, ctx) -> {
                        String of = rs.getString("manifestation_id");
                        if (of == null) {
                            return Creation.UNKNOWN_JOB;
                        }
                        if (!of.equals(manifestationId)) {
                            return Creation.OTHER_MANIFESTATION;
                        }
                        return rs.getLong("made") > 0 ? Creation.MADE : Creation.EXISTED;
                    })
                    .one());
        } catch (JdbiException e) {
            throw Failures.translate(e, "making task " + key);
        }
    }

    @Override
    public Optional<SpanlessTask> claimWithoutSpan(TaskKey key, String owner, Instant now, Duration leaseFor) {
        return new SpanlessClaim(jdbi).claim(key, owner, now, leaseFor);
    }

    @Override
    public boolean extend(Lease lease, Instant newExpiry) {
        requireNonNull(lease, "lease is null");
        return !extendAll(List.of(lease), newExpiry).isEmpty();
    }

    @Override
    public boolean release(Lease lease, Instant now) {
        requireNonNull(lease, "lease is null");
        return releaseAll(List.of(lease), now) == 1;
    }

    @Override
    public List<Lease> extendAll(Collection<Lease> leases, Instant newExpiry) {
        requireNonNull(newExpiry, "newExpiry is null");
        List<Lease> list = List.copyOf(requireNonNull(leases, "leases is null"));
        List<Integer> extended = fencedUpdate(EXTEND_ALL, list, newExpiry, "extending the lease on ");
        return extended.stream().sorted().map(i -> list.get(i).extendedTo(newExpiry)).toList();
    }

    @Override
    public int releaseAll(Collection<Lease> leases, Instant now) {
        requireNonNull(now, "now is null");
        List<Lease> list = List.copyOf(requireNonNull(leases, "leases is null"));
        return fencedUpdate(RELEASE_ALL, list, now, "releasing ").size();
    }

    /** A fenced update of the leases' tasks; returns the indexes (in {@code leases}) of those still held. */
    private List<Integer> fencedUpdate(String sql, List<Lease> leases, Instant time, String doing) {
        if (leases.isEmpty()) {
            return List.of();
        }
        UUID[] tasks = new UUID[leases.size()];
        Long[] tokens = new Long[leases.size()];
        String[] owners = new String[leases.size()];
        for (int i = 0; i < leases.size(); i++) {
            Lease lease = leases.get(i);
            tasks[i] = lease.taskId();
            tokens[i] = lease.token();
            owners[i] = lease.owner();
        }
        try {
            return jdbi.withHandle(h -> h.createQuery(sql)
                    .bindArray("tasks", UUID.class, (Object[]) tasks)
                    .bindArray("tokens", Long.class, (Object[]) tokens)
                    .bindArray("owners", String.class, (Object[]) owners)
                    .bind("time", at(time))
                    .map((rs, ctx) -> rs.getInt("n") - 1)
                    .list());
        } catch (JdbiException e) {
            throw Failures.translate(e, doing + (leases.size() == 1 ? leases.get(0).key().toString()
                    : leases.size() + " tasks"));
        }
    }
}
