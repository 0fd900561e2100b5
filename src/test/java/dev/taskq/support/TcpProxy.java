package dev.taskq.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy between the code under test and PostgreSQL, so a test can take the database away without touching the
 * shared server: {@link #cut(Duration)} drops every connection and refuses new ones for a while, as a restart or a
 * network failure would.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile long refuseUntilNanos = System.nanoTime();
    private volatile boolean closed;
    private final AtomicReference<Cut> armed = new AtomicReference<>();
    private final AtomicInteger armedCuts = new AtomicInteger();

    /** A cut that waits for a client to send {@code marker}. */
    private record Cut(byte[] marker, Duration refuseFor) {
    }

    /** Starts a proxy on a free local port to {@code host:port}. */
    public TcpProxy(String host, int port) throws IOException {
        this.targetHost = host;
        this.targetPort = port;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "tcp-proxy-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** @return a proxy to the host and port of {@code jdbcUrl}, a {@code jdbc:postgresql://host:port/db} URL */
    public static TcpProxy to(String jdbcUrl) throws IOException {
        java.util.regex.Matcher address = java.util.regex.Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/.*")
                .matcher(jdbcUrl);
        if (!address.matches()) {
            throw new IllegalArgumentException("Cannot proxy " + jdbcUrl + ": expected jdbc:postgresql://host:port/");
        }
        return new TcpProxy(address.group(1), Integer.parseInt(address.group(2)));
    }

    /** @return {@code jdbcUrl} (a PostgreSQL URL to the proxy's target) changed to go through this proxy */
    public String route(String jdbcUrl) {
        String target = targetHost + ":" + targetPort;
        if (!jdbcUrl.contains(target)) {
            throw new IllegalArgumentException(jdbcUrl + " does not name " + target);
        }
        return jdbcUrl.replace(target, "127.0.0.1:" + listener.getLocalPort());
    }

    /** Drops every open connection and, for {@code refuseFor}, closes each new one at once. */
    public void cut(Duration refuseFor) {
        refuseUntilNanos = System.nanoTime() + refuseFor.toNanos();
        for (Socket socket : open) {
            closeQuietly(socket);
        }
    }

    /**
     * Cuts as {@link #cut(Duration)} right after forwarding the first client message that holds {@code marker}, before
     * the server's answer can come back: with {@code "COMMIT"} (and {@code prepareThreshold=0} on the client's URL,
     * so that the driver sends the statement's text each time), a commit that the database makes but whose answer
     * the client never gets.
     */
    public void cutAfterClientSends(String marker, Duration refuseFor) {
        armed.set(new Cut(marker.getBytes(StandardCharsets.US_ASCII), refuseFor));
    }

    /** @return how many cuts armed by {@link #cutAfterClientSends} have happened */
    public int armedCutsDone() {
        return armedCuts.get();
    }

    /** Drops every open connection; new ones are let through. */
    public void dropConnections() {
        cut(Duration.ZERO);
    }

    /** @return whether new connections are refused right now */
    public boolean refusing() {
        return System.nanoTime() - refuseUntilNanos < 0;
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (refusing()) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket server = new Socket();
                server.connect(new InetSocketAddress(targetHost, targetPort), 5_000);
                open.add(client);
                open.add(server);
                pump(client, server, true);
                pump(server, client, false);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                    out.flush();
                    Cut cut = fromClient ? armed.get() : null;
                    if (cut != null && contains(buffer, n, cut.marker()) && armed.compareAndSet(cut, null)) {
                        cut(cut.refuseFor());
                        armedCuts.incrementAndGet();
                    }
                }
            } catch (IOException e) {
                // the other side or a cut closed it
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static boolean contains(byte[] buffer, int length, byte[] marker) {
        outer:
        for (int start = 0; start + marker.length <= length; start++) {
            for (int i = 0; i < marker.length; i++) {
                if (buffer[start + i] != marker[i]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        open.forEach(this::closeQuietly);
    }
}
