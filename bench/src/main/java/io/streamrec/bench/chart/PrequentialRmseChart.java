package io.streamrec.bench.chart;

import io.streamrec.common.event.DriftState;
import io.streamrec.common.event.PrequentialMetrics;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The prequential-RMSE-over-the-stream PNG, one window and one cumulative curve per source, drift alarms marked: drawn
 * by the accuracy suite (one source per model) and by the demo (one per trainer subtask).
 */
public final class PrequentialRmseChart {

    private PrequentialRmseChart() {
    }

    /** Windowed prequential RMSE per source against events scored, with drift alarms marked. */
    public static Path write(List<PrequentialMetrics> history, String title, Path file) throws IOException {
        return write(history, title, file, java.util.OptionalLong.empty());
    }

    /**
     * As {@link #write(List, String, Path)}, plus a vertical line where a drift was planted. An alarm is marked at the
     * first sample whose alarm count ({@code driftEvents}) is higher than the previous sample's: the detector's state
     * at the sample points alone misses alarms that fire and recover between two samples.
     */
    public static Path write(List<PrequentialMetrics> history, String title, Path file, java.util.OptionalLong plantedDriftAt)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(420).title(title)
                .xAxisTitle("events scored").yAxisTitle("RMSE").build();
        var bySource = new java.util.TreeMap<String, List<PrequentialMetrics>>();
        history.forEach(m -> bySource.computeIfAbsent(m.source(), k -> new ArrayList<>()).add(m));
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (var e : bySource.entrySet()) {
            List<PrequentialMetrics> ms = e.getValue().stream().sorted(Comparator.comparingLong(PrequentialMetrics::count)).toList();
            List<Double> x = new ArrayList<>();
            List<Double> w = new ArrayList<>();
            List<Double> c = new ArrayList<>();
            List<Double> driftX = new ArrayList<>();
            List<Double> driftY = new ArrayList<>();
            long prevAlarms = 0;
            for (PrequentialMetrics m : ms) {
                if (Double.isFinite(m.windowRmse()) && Double.isFinite(m.cumulativeRmse())) {
                    x.add((double) m.count());
                    w.add(m.windowRmse());
                    c.add(m.cumulativeRmse());
                    minY = Math.min(minY, Math.min(m.windowRmse(), m.cumulativeRmse()));
                    maxY = Math.max(maxY, Math.max(m.windowRmse(), m.cumulativeRmse()));
                    if (m.driftEvents() > prevAlarms || (m.drift() == DriftState.DRIFT && prevAlarms == 0)) {
                        driftX.add((double) m.count());
                        driftY.add(m.windowRmse());
                    }
                }
                prevAlarms = Math.max(prevAlarms, m.driftEvents());
            }
            if (!x.isEmpty()) {
                chart.addSeries(e.getKey() + " window", x, w).setMarker(SeriesMarkers.NONE);
                chart.addSeries(e.getKey() + " cumulative", x, c).setMarker(SeriesMarkers.NONE);
            }
            if (!driftX.isEmpty()) {
                XYSeries added = chart.addSeries(e.getKey() + " drift alarm", driftX, driftY);
                added.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                added.setMarker(SeriesMarkers.DIAMOND);
            }
        }
        if (plantedDriftAt.isPresent() && minY <= maxY) {
            double at = plantedDriftAt.getAsLong();
            XYSeries planted = chart.addSeries("planted drift", List.of(at, at), List.of(minY, maxY));
            planted.setMarker(SeriesMarkers.NONE);
            planted.setLineStyle(new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER,
                    10f, new float[]{6f, 4f}, 0f));
            planted.setLineColor(java.awt.Color.DARK_GRAY);
        }
        if (chart.getSeriesMap().isEmpty()) {
            chart.addSeries("no metrics", List.of(0.0), List.of(0.0));
        }
        return save(chart, file);
    }

    private static Path save(XYChart chart, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }
}
