package io.messagebridge.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A grouped bar chart as a standalone SVG document, written by hand so that the benchmark needs no library to draw
 * it. Requires one value per series in every group; a value that is not a positive number gets no bar and the label
 * "n/a". Guarantees that every bar's height is its value over the top of the axis times the plot height (the axis
 * starts at zero), that each bar carries its value as a label, and that the title, unit, series and groups are text
 * in the document, so it reads without the picture.
 */
final class SvgChart {

    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b"};
    static final int PLOT_HEIGHT = 260;
    private static final int BAR_WIDTH = 44;
    private static final int GROUP_GAP = 36;
    private static final int LEFT = 80;
    private static final int TOP = 70;
    private static final int BOTTOM = 70;
    private static final int RIGHT = 20;
    private static final int TICKS = 5;

    private final String title;
    private final String unit;
    private final List<String> series = new ArrayList<>();
    private final List<String> groups = new ArrayList<>();
    private final List<double[]> values = new ArrayList<>();

    SvgChart(String title, String unit, String... series) {
        this.title = title;
        this.unit = unit;
        this.series.addAll(List.of(series));
    }

    SvgChart group(String label, double... groupValues) {
        if (groupValues.length != series.size()) {
            throw new IllegalArgumentException(label + ": " + groupValues.length + " values for " + series.size()
                    + " series");
        }
        groups.add(label);
        values.add(groupValues.clone());
        return this;
    }

    boolean isEmpty() {
        return groups.isEmpty();
    }

    /** The top of the value axis: the largest value rounded up to 1, 2, 2.5 or 5 times a power of ten. */
    double axisMaximum() {
        double max = values.stream().flatMapToDouble(Arrays::stream).filter(SvgChart::drawn).max()
                .orElse(1);
        double magnitude = Math.pow(10, Math.floor(Math.log10(max)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= max) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    String toSvg() {
        int longestLabel = groups.stream().flatMap(g -> Arrays.stream(g.split("\n"))).mapToInt(String::length).max()
                .orElse(0);
        // about 6.5 pixels per character of 12-pixel sans-serif, so that neighbouring labels never overlap
        int groupWidth = Math.max(series.size() * BAR_WIDTH, (int) Math.ceil(longestLabel * 6.5)) + GROUP_GAP;
        int plotWidth = Math.max(groups.size() * groupWidth, 60 + series.size() * 150);
        int width = LEFT + plotWidth + RIGHT;
        int height = TOP + PLOT_HEIGHT + BOTTOM;
        int baseline = TOP + PLOT_HEIGHT;
        double axisMax = axisMaximum();
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>%n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
        svg.append(String.format(Locale.ROOT, "<title>%s</title>%n", escape(title)));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", width, height));
        svg.append(text(LEFT, 24, "start", "font-size=\"15\" font-weight=\"bold\"", title));
        for (int s = 0; s < series.size(); s++) {
            int x = LEFT + s * 150;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"36\" width=\"12\" height=\"12\" fill=\"%s\"/>%n",
                    x, colour(s)));
            svg.append(text(x + 18, 47, "start", "class=\"legend\"", series.get(s)));
        }
        for (int tick = 0; tick <= TICKS; tick++) {
            double value = axisMax * tick / TICKS;
            double y = baseline - PLOT_HEIGHT * (double) tick / TICKS;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>%n",
                    LEFT, y, LEFT + plotWidth, y, tick == 0 ? "#333333" : "#dddddd"));
            svg.append(text(LEFT - 6, y + 4, "end", "class=\"tick\"", number(value)));
        }
        svg.append(String.format(Locale.ROOT,
                "<text x=\"16\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">%s</text>%n",
                TOP + PLOT_HEIGHT / 2, TOP + PLOT_HEIGHT / 2, escape(unit)));
        for (int g = 0; g < groups.size(); g++) {
            int groupX = LEFT + g * groupWidth + (groupWidth - series.size() * BAR_WIDTH) / 2;
            for (int s = 0; s < series.size(); s++) {
                double value = values.get(g)[s];
                int x = groupX + s * BAR_WIDTH;
                double centre = x + (BAR_WIDTH - 4) / 2.0;
                if (drawn(value)) {
                    double barHeight = PLOT_HEIGHT * value / axisMax;
                    svg.append(String.format(Locale.ROOT,
                            "<rect class=\"bar\" data-series=\"%s\" data-group=\"%s\" data-value=\"%s\" x=\"%d\" "
                                    + "y=\"%.2f\" width=\"%d\" height=\"%.2f\" fill=\"%s\"/>%n",
                            escape(series.get(s)), escape(groups.get(g)), value, x, baseline - barHeight,
                            BAR_WIDTH - 4, barHeight, colour(s)));
                    svg.append(text(centre, baseline - barHeight - 4, "middle", "class=\"value\" font-size=\"10\"",
                            number(value)));
                } else {
                    svg.append(text(centre, baseline - 4, "middle", "class=\"value\" font-size=\"10\"", "n/a"));
                }
            }
            double groupCentre = groupX + series.size() * BAR_WIDTH / 2.0;
            String[] lines = groups.get(g).split("\n");
            for (int line = 0; line < lines.length; line++) {
                svg.append(text(groupCentre, baseline + 18 + 14 * line, "middle", "class=\"group\"", lines[line]));
            }
        }
        return svg.append("</svg>\n").toString();
    }

    void write(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, toSvg());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean drawn(double value) {
        return value > 0 && Double.isFinite(value);
    }

    private static String colour(int series) {
        return COLOURS[series % COLOURS.length];
    }

    /** Thousands separated; one decimal below 100, where the values are milliseconds. */
    static String number(double value) {
        return String.format(Locale.ROOT, value < 100 && value != Math.rint(value) ? "%,.1f" : "%,.0f", value);
    }

    private static String text(double x, double y, String anchor, String attributes, String content) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" %s>%s</text>%n", x, y,
                anchor, attributes, escape(content));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
