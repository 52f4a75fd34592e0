package io.otelpipeline.load;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** A line chart drawn with Java2D and written as PNG: one line per series over a shared x axis, starting at zero. */
record LineChart(String title, String xLabel, String yLabel, List<Series> series) {
  private static final int WIDTH = 800;
  private static final int HEIGHT = 500;
  private static final int LEFT = 90;
  private static final int RIGHT = 30;
  private static final int TOP = 50;
  private static final int BOTTOM = 70;
  private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd)};

  /** A named line, its points as (x, y) pairs; {@code dashed} draws a reference line. */
  record Series(String name, List<double[]> points, boolean dashed) {}

  void write(Path png) {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    double xMax = niceCeiling(series.stream().flatMap(s -> s.points().stream()).mapToDouble(p -> p[0]).max().orElse(1));
    double yMax = niceCeiling(series.stream().flatMap(s -> s.points().stream()).mapToDouble(p -> p[1]).max().orElse(1));
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    FontMetrics fm = g.getFontMetrics();
    for (int i = 0; i <= 5; i++) {
      int y = TOP + plotH - plotH * i / 5;
      int x = LEFT + plotW * i / 5;
      g.setColor(new Color(0xe5e5e5));
      g.drawLine(LEFT, y, LEFT + plotW, y);
      g.drawLine(x, TOP, x, TOP + plotH);
      g.setColor(Color.DARK_GRAY);
      String yText = number(yMax * i / 5);
      g.drawString(yText, LEFT - 8 - fm.stringWidth(yText), y + fm.getAscent() / 2);
      String xText = number(xMax * i / 5);
      g.drawString(xText, x - fm.stringWidth(xText) / 2, TOP + plotH + 18);
    }
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, TOP, plotW, plotH);
    g.drawString(xLabel, LEFT + plotW / 2 - fm.stringWidth(xLabel) / 2, TOP + plotH + 40);
    AffineTransform straight = g.getTransform();
    g.rotate(-Math.PI / 2);
    g.drawString(yLabel, -(TOP + plotH / 2) - fm.stringWidth(yLabel) / 2, 22);
    g.setTransform(straight);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(title, LEFT, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    int legendY = TOP + 16;
    for (int s = 0; s < series.size(); s++) {
      Series line = series.get(s);
      g.setColor(line.dashed() ? Color.GRAY : COLORS[s % COLORS.length]);
      g.setStroke(line.dashed()
          ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1, new float[] {6, 6}, 0)
          : new BasicStroke(2.5f));
      int[] xs = new int[line.points().size()];
      int[] ys = new int[line.points().size()];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = LEFT + (int) Math.round(plotW * line.points().get(i)[0] / xMax);
        ys[i] = TOP + plotH - (int) Math.round(plotH * line.points().get(i)[1] / yMax);
        if (!line.dashed()) {
          g.fillOval(xs[i] - 4, ys[i] - 4, 8, 8);
        }
      }
      g.drawPolyline(xs, ys, xs.length);
      g.drawLine(LEFT + 12, legendY - 4, LEFT + 36, legendY - 4);
      g.drawString(line.name(), LEFT + 42, legendY);
      legendY += 18;
    }
    g.dispose();
    try {
      ImageIO.write(image, "png", png.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the chart " + png + ": " + e.getMessage(), e);
    }
  }

  /** The smallest 1, 2 or 5 times a power of ten at or above {@code value}. */
  static double niceCeiling(double value) {
    if (value <= 0) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(value)));
    for (double step : new double[] {1, 2, 5, 10}) {
      if (step * power >= value) {
        return step * power;
      }
    }
    return 10 * power;
  }

  private static String number(double v) {
    return v >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }
}
