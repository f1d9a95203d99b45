package dev.segrel.worker;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
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
 */
public final class SignalStop implements WorkerMain.StopSignal {

    private static final Logger log = LoggerFactory.getLogger(SignalStop.class);

    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public void await() throws InterruptedException {
        catchSignal("TERM");
        catchSignal("INT");
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
