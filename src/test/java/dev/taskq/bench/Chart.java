package dev.taskq.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The benchmark's picture, drawn with the JDK alone (headless): throughput by loop count for TaskQ, its references and
 * the peer on the left, on a log scale since they span two orders of magnitude; the pickup latencies' distribution
 * (sorted samples) on the right.
 */
final class Chart {

    private static final int WIDTH = 1200;
    private static final int HEIGHT = 520;
    private static final int MARGIN = 70;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xff7f0e), new Color(0x7f7f7f)};

    private final int[] loops;
    private final Map<String, double[]> series = new LinkedHashMap<>();

    Chart(int[] loops) {
        this.loops = loops.clone();
    }

    /** Records {@code value} (tasks/s) of {@code name} at the {@code index}th loop count. */
    void put(String name, int index, double value) {
        series.computeIfAbsent(name, key -> new double[loops.length])[index] = value;
    }

    /** Draws the chart with {@code pickupMillis} and writes it as a PNG to {@code file}. */
    void write(double[] pickupMillis, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        throughput(g, MARGIN, WIDTH / 2 - 20);
        pickups(g, pickupMillis, WIDTH / 2 + MARGIN, WIDTH - 30);
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    private void throughput(Graphics2D g, int left, int right) {
        int top = 40;
        int bottom = HEIGHT - MARGIN;
        double max = series.values().stream().flatMapToDouble(Arrays::stream).max().orElse(1);
        double min = series.values().stream().flatMapToDouble(Arrays::stream).filter(v -> v > 0).min().orElse(1);
        double low = Math.floor(Math.log10(min));
        double high = Math.ceil(Math.log10(max));
        axes(g, "no-op tasks/s by loops (log scale)", left, right, top, bottom);
        for (double decade = low; decade <= high; decade++) {
            int y = (int) (bottom - (decade - low) / (high - low) * (bottom - top));
            g.setColor(Color.LIGHT_GRAY);
            g.drawLine(left, y, right, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%,.0f", Math.pow(10, decade)), left - 60, y + 4);
        }
        for (int i = 0; i < loops.length; i++) {
            g.drawString(String.valueOf(loops[i]), x(i, left, right) - 3, bottom + 16);
        }
        int legend = bottom - 16 * series.size() - 6; // bottom right: the slowest line stays above 100 tasks/s
        int color = 0;
        for (Map.Entry<String, double[]> line : series.entrySet()) {
            g.setColor(COLORS[color++ % COLORS.length]);
            g.setStroke(new BasicStroke(2));
            int previousX = -1;
            int previousY = -1;
            for (int i = 0; i < loops.length; i++) {
                int x = x(i, left, right);
                int y = (int) (bottom - (Math.log10(line.getValue()[i]) - low) / (high - low) * (bottom - top));
                g.fillOval(x - 3, y - 3, 7, 7);
                if (previousX >= 0) {
                    g.drawLine(previousX, previousY, x, y);
                }
                previousX = x;
                previousY = y;
            }
            g.drawString(line.getKey(), right - 200, legend += 16);
        }
    }

    private void pickups(Graphics2D g, double[] millis, int left, int right) {
        int top = 40;
        int bottom = HEIGHT - MARGIN;
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        double max = Math.max(1, sorted[sorted.length - 1]);
        axes(g, "pickup on an idle queue, enqueue to start (ms), " + sorted.length + " samples sorted", left, right,
                top, bottom);
        for (int tick = 0; tick <= 4; tick++) {
            int y = bottom - tick * (bottom - top) / 4;
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.1f", max * tick / 4), left - 40, y + 4);
        }
        g.drawString("p50 " + String.format(Locale.ROOT, "%.2f", Rates.percentile(millis, 0.50)) + " ms   p99 "
                + String.format(Locale.ROOT, "%.2f", Rates.percentile(millis, 0.99)) + " ms", left + 10, top + 16);
        g.setColor(COLORS[0]);
        for (int i = 0; i < sorted.length; i++) {
            int x = left + i * (right - left) / Math.max(1, sorted.length - 1);
            int y = (int) (bottom - sorted[i] / max * (bottom - top));
            g.fillRect(x - 1, y - 1, 3, 3);
        }
    }

    private static void axes(Graphics2D g, String title, int left, int right, int top, int bottom) {
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1));
        g.drawLine(left, bottom, right, bottom);
        g.drawLine(left, top, left, bottom);
        g.drawString(title, left, top - 12);
    }

    private int x(int index, int left, int right) {
        return left + 20 + index * (right - left - 40) / Math.max(1, loops.length - 1);
    }
}
