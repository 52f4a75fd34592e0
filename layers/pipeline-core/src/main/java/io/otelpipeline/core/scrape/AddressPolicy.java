package io.otelpipeline.core.scrape;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Which addresses a scraper may connect to. Link-local addresses (169.254.0.0/16, fe80::/10) and
 * the EC2 instance metadata service (including fd00:ec2::254) are always refused, so that no target
 * can make the scraper read credentials; loopback, private and unique-local ranges only when
 * allowed (the local stack allows them; deployed, a template parameter does).
 *
 * <p>An IPv6 address that carries an IPv4 address inside it (IPv4-compatible {@code ::a.b.c.d},
 * IPv4-mapped {@code ::ffff:a.b.c.d}, IPv4-translated {@code ::ffff:0:a.b.c.d}, NAT64
 * {@code 64:ff9b::/96} and {@code 64:ff9b:1::/48}, 6to4 {@code 2002::/16}, Teredo
 * {@code 2001::/32}) can reach that IPv4 address through a translator, so it is judged as that
 * IPv4 address too.
 */
public record AddressPolicy(boolean allowPrivate) {
  private static final byte[] EC2_METADATA_V6 = {(byte) 0xfd, 0x00, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};

  /** Resolves the host and checks every address it resolves to; the message says which address and why. */
  public InetAddress[] check(String host) throws RefusedTargetException {
    if (host == null || host.isEmpty()) {
      throw new RefusedTargetException("no host the scraper can parse (a host name needs letters, digits, '-' and '.'; an IPv4 address four decimal numbers)");
    }
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
    String own = ownRefusal(a);
    if (own != null) {
      return own;
    }
    for (Inet4Address embedded : embeddedIpv4(a.getAddress())) {
      String inner = ownRefusal(embedded);
      if (inner != null) {
        return "it embeds " + embedded.getHostAddress() + ": " + inner;
      }
    }
    return null;
  }

  private String ownRefusal(InetAddress a) {
    byte[] b = a.getAddress();
    if (a.isLinkLocalAddress() || (b.length == 4 && (b[0] & 0xff) == 169 && (b[1] & 0xff) == 254)) {
      return "link-local and instance metadata addresses are never scraped";
    }
    if (a instanceof Inet6Address && Arrays.equals(b, EC2_METADATA_V6)) {
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

  /** The IPv4 addresses an IPv6 address may carry in one of the translation or tunnelling forms. */
  static List<Inet4Address> embeddedIpv4(byte[] b) {
    if (b.length != 16) {
      return List.of();
    }
    if (zero(b, 0, 10) && ((b[10] == 0 && b[11] == 0) || (b[10] == (byte) 0xff && b[11] == (byte) 0xff))) {
      return List.of(ipv4(b, 0, 12, 13, 14, 15)); // ::a.b.c.d (compatible), ::ffff:a.b.c.d (mapped)
    }
    if (zero(b, 0, 8) && b[8] == (byte) 0xff && b[9] == (byte) 0xff && b[10] == 0 && b[11] == 0) {
      return List.of(ipv4(b, 0, 12, 13, 14, 15)); // ::ffff:0:a.b.c.d (translated)
    }
    if (b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b) {
      if (zero(b, 4, 12)) {
        return List.of(ipv4(b, 0, 12, 13, 14, 15)); // the well-known NAT64 prefix 64:ff9b::/96
      }
      if (b[4] == 0 && b[5] == 1) {
        // the local-use NAT64 prefix 64:ff9b:1::/48, subnetted as RFC 6052 allows (/48 to /96)
        return List.of(ipv4(b, 0, 6, 7, 9, 10), ipv4(b, 0, 7, 9, 10, 11), ipv4(b, 0, 9, 10, 11, 12), ipv4(b, 0, 12, 13, 14, 15));
      }
      return List.of();
    }
    if (b[0] == 0x20 && b[1] == 0x02) {
      return List.of(ipv4(b, 0, 2, 3, 4, 5)); // 6to4 2002::/16
    }
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) {
      return List.of(ipv4(b, 0xff, 12, 13, 14, 15)); // Teredo 2001::/32: the client's address, inverted
    }
    return List.of();
  }

  private static boolean zero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static Inet4Address ipv4(byte[] b, int xor, int... at) {
    byte[] v4 = new byte[4];
    for (int i = 0; i < 4; i++) {
      v4[i] = (byte) (b[at[i]] ^ xor);
    }
    try {
      return (Inet4Address) InetAddress.getByAddress(v4);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
  }

  /** A target the policy does not let the scraper reach. */
  public static final class RefusedTargetException extends Exception {
    public RefusedTargetException(String message) {
      super(message);
    }
  }
}
