package io.otelpipeline.core.export;

import io.otelpipeline.core.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/** Applies an exporter's {@code tls} settings to the JDK HTTP client: the CAs it trusts and the TLS versions it offers. */
final class TrustedCertificates {
  private TrustedCertificates() {}

  static void apply(ExportSettings.TlsSettings tls, HttpClient.Builder builder, String exporterId) {
    try {
      if (tls.caPem().isPresent()) {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        int i = 0;
        for (Certificate certificate : certificates(tls.caPem().get())) {
          trust.setCertificateEntry("ca-" + i++, certificate);
        }
        if (i == 0) {
          throw new ConfigException("exporters." + exporterId + ".tls: the CA holds no PEM certificate");
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        builder.sslContext(context);
      }
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new ConfigException("exporters." + exporterId + ".tls: the CA cannot be used: " + e.getMessage(), e);
    }
    List<String> protocols = new ArrayList<>();
    for (String version : List.of("TLSv1.2", "TLSv1.3")) {
      boolean aboveMin = tls.minVersion().map(min -> version.compareTo(min) >= 0).orElse(true);
      boolean belowMax = tls.maxVersion().map(max -> version.compareTo(max) <= 0).orElse(true);
      if (aboveMin && belowMax) {
        protocols.add(version);
      }
    }
    if (protocols.isEmpty()) {
      throw new ConfigException("exporters." + exporterId + ".tls: min_version is above max_version");
    }
    SSLParameters parameters = new SSLParameters();
    parameters.setProtocols(protocols.toArray(String[]::new));
    builder.sslParameters(parameters);
  }

  private static List<? extends Certificate> certificates(String pem) throws GeneralSecurityException {
    return new ArrayList<>(
        CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8))));
  }
}
