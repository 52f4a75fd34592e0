package io.otelpipeline.core.aws;

import io.otelpipeline.core.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;

/**
 * Fetches a deployed pipeline configuration named by {@code PIPELINE_CONFIG}: {@code ssm:/name}
 * or an SSM parameter ARN (read with decryption), or {@code s3://bucket/key}.
 */
public final class RemoteConfigSource implements Function<String, String> {
  private final AwsClients clients;

  public RemoteConfigSource(AwsClients clients) {
    this.clients = clients;
  }

  @Override
  public String apply(String location) {
    try {
      if (location.startsWith("s3://")) {
        String path = location.substring("s3://".length());
        int slash = path.indexOf('/');
        if (slash <= 0 || slash == path.length() - 1) {
          throw new ConfigException("PIPELINE_CONFIG: '" + location + "' is not of the form s3://bucket/key");
        }
        return clients.s3()
            .getObjectAsBytes(GetObjectRequest.builder().bucket(path.substring(0, slash)).key(path.substring(slash + 1)).build())
            .asString(StandardCharsets.UTF_8);
      }
      String name = location.startsWith("ssm:") ? location.substring("ssm:".length()) : location;
      return clients.ssm().getParameter(GetParameterRequest.builder().name(name).withDecryption(true).build()).parameter().value();
    } catch (SdkException e) {
      throw new ConfigException("PIPELINE_CONFIG: cannot read " + location + ": " + e.getMessage(), e);
    }
  }
}
