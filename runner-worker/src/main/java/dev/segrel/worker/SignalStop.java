package dev.segrel.worker;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for SIGTERM or SIGINT (Ctrl-C). The signals are caught, rather than left to the JVM's
 * shutdown, so that the waiting process closes what it runs in order and the process exits 0.
 *
 * <p>{@code sun.misc.Signal} is reached by reflection: compiling against it directly draws a
 * warning that no option silences, and the build treats warnings as errors. Where it is missing,
 * the default applies: the JVM runs its shutdown hooks (which long-running commands register too) and
 * exits 143 or 130.
 *
 * <p>The signals are caught from {@link #catchNow()} on, or else from the first {@link #await()}. A
 * process that starts something before it waits (the worker) calls {@code catchNow()} first: a signal
 * that comes during its start-up then makes {@code await()} return at once, instead of meeting the
 * JVM's default in the moment between the start and the wait. One that only waits (a CLI command)
 * leaves Ctrl-C to the JVM until it waits.
 */
public final class SignalStop implements WorkerMain.StopSignal {

    private static final Logger log = LoggerFactory.getLogger(SignalStop.class);

    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicBoolean catching = new AtomicBoolean();

    /** Catches SIGTERM and SIGINT from now on (once): one caught before {@link #await()} is kept for it. */
    public void catchNow() {
        if (catching.compareAndSet(false, true)) {
            catchSignal("TERM");
            catchSignal("INT");
        }
    }

    @Override
    public void await() throws InterruptedException {
        catchNow();
        stop.await();
    }

    private void catchSignal(String name) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            InvocationHandler onSignal = (proxy, method, args) -> dispatch(proxy, method, args);
            Object handler = Proxy.newProxyInstance(
                    SignalStop.class.getClassLoader(), new Class<?>[] {handlerClass}, onSignal);
            Object signal = signalClass.getConstructor(String.class).newInstance(name);
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.debug("cannot catch SIG{}; the JVM's shutdown hooks will stop the command", name, e);
        }
    }

    private Object dispatch(Object proxy, Method method, Object[] args) {
        return switch (method.getName()) {
            case "handle" -> {
                stop.countDown();
                yield null;
            }
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> "segrel shutdown signal handler";
            default -> null;
        };
    }
}
