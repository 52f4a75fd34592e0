package io.otelpipeline.core.scrape;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Which addresses a scraper may connect to. Link-local addresses (169.254.0.0/16, fe80::/10) and
 * the EC2 instance metadata service (including fd00:ec2::254) are always refused, so that no target
 * can make the scraper read credentials; loopback, private and unique-local ranges only when
 * allowed (the local stack allows them; deployed, a template parameter does).
 */
public record AddressPolicy(boolean allowPrivate) {
  private static final byte[] EC2_METADATA_V6 = {(byte) 0xfd, 0x00, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};

  /** Resolves the host and checks every address it resolves to; the message says which address and why. */
  public InetAddress[] check(String host) throws RefusedTargetException {
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
    } catch (UnknownHostException e) {
      throw new RefusedTargetException("cannot resolve host " + host);
    }
    for (InetAddress a : addresses) {
      String why = refusal(a);
      if (why != null) {
        throw new RefusedTargetException("refused " + host + " (" + a.getHostAddress() + "): " + why);
      }
    }
    return addresses;
  }

  /** Why an address is refused, or null when it is allowed. */
  public String refusal(InetAddress a) {
    byte[] b = a.getAddress();
    if (a.isLinkLocalAddress() || (b.length == 4 && (b[0] & 0xff) == 169 && (b[1] & 0xff) == 254)) {
      return "link-local and instance metadata addresses are never scraped";
    }
    if (a instanceof Inet6Address && java.util.Arrays.equals(b, EC2_METADATA_V6)) {
      return "the instance metadata address is never scraped";
    }
    if (allowPrivate) {
      return null;
    }
    if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
      return "loopback addresses are not scraped unless ALLOW_PRIVATE_TARGETS=true";
    }
    if (a.isSiteLocalAddress() || (b.length == 16 && (b[0] & 0xfe) == 0xfc) || (b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64)) {
      return "private addresses are not scraped unless ALLOW_PRIVATE_TARGETS=true";
    }
    return null;
  }

  /** A target the policy does not let the scraper reach. */
  public static final class RefusedTargetException extends Exception {
    public RefusedTargetException(String message) {
      super(message);
    }
  }
}
