package io.streamrec.cli.demo;

import io.streamrec.bench.chart.PrequentialRmseChart;
import io.streamrec.common.event.PrequentialMetrics;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** PNG plots of a run: throughput over time, prequential RMSE over the stream, freshness distribution. */
public final class Plots {

    private Plots() {
    }

    public static Path throughput(Timeline timeline, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(420).title("Throughput over time")
                .xAxisTitle("seconds since launch").yAxisTitle("events/s").build();
        List<Double> t = new ArrayList<>();
        List<Double> in = new ArrayList<>();
        List<Double> trained = new ArrayList<>();
        Timeline.Sample prev = null;
        for (Timeline.Sample s : timeline.samples()) {
            if (prev != null && s.elapsedMs() > prev.elapsedMs()) {
                double dt = (s.elapsedMs() - prev.elapsedMs()) / 1000.0;
                t.add(s.elapsedMs() / 1000.0);
                in.add((s.ingested() - prev.ingested()) / dt);
                trained.add((s.trained() - prev.trained()) / dt);
            }
            prev = s;
        }
        if (t.isEmpty()) {
            t.add(0.0);
            in.add(0.0);
            trained.add(0.0);
        }
        chart.addSeries("ingested (ratings topic)", t, in).setMarker(SeriesMarkers.NONE);
        chart.addSeries("trained (committed by trainer)", t, trained).setMarker(SeriesMarkers.NONE);
        return save(chart, file);
    }

    /** Windowed prequential RMSE per trainer subtask against events scored, with drift alarms marked. */
    public static Path rmse(List<PrequentialMetrics> history, String title, Path file) throws IOException {
        return PrequentialRmseChart.write(history, title, file);
    }

    public static Path freshness(List<Long> latenciesMs, Path file) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(420)
                .title("Freshness: rating produced → recommendations reflect it")
                .xAxisTitle("latency (ms, bucket upper bound)").yAxisTitle("probes").build();
        long max = latenciesMs.stream().mapToLong(Long::longValue).max().orElse(1);
        long bucket = Math.max(100, (long) Math.ceil(max / 10.0 / 100.0) * 100);
        List<String> labels = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (long b = bucket; b < max + bucket; b += bucket) {
            long lo = b - bucket;
            long hi = b;
            labels.add(Long.toString(hi));
            counts.add((int) latenciesMs.stream().filter(l -> l > lo && l <= hi || (lo == 0 && l == 0)).count());
        }
        if (labels.isEmpty()) {
            labels.add("0");
            counts.add(0);
        }
        chart.addSeries("probes", labels, counts);
        chart.getStyler().setLegendVisible(false);
        return save(chart, file);
    }

    private static Path save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }
}
