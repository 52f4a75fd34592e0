package io.otelpipeline.core.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The metadata and link-local addresses, in every IPv6 form that carries them, are refused even where private targets are allowed. */
class AddressPolicyTest {
  private static final AddressPolicy LOCAL = new AddressPolicy(true);
  private static final AddressPolicy DEPLOYED = new AddressPolicy(false);

  @ParameterizedTest(name = "{0} ({1})")
  @CsvSource({
    "[::169.254.169.254], IPv4-compatible",
    "[::a9fe:a9fe], IPv4-compatible in hex",
    "[::ffff:169.254.169.254], IPv4-mapped",
    "[::ffff:0:169.254.169.254], IPv4-translated",
    "[64:ff9b::169.254.169.254], NAT64 well-known prefix",
    "[64:ff9b::a9fe:a9fe], NAT64 well-known prefix in hex",
    "[64:ff9b:1::a9fe:a9fe], NAT64 local-use prefix /96",
    "[64:ff9b:1:a9fe:a9:fe00::], NAT64 local-use prefix /48",
    "[2002:a9fe:a9fe::1], 6to4",
    "[2001:0:4136:e378:8000:63bf:5601:5601], Teredo client (inverted)",
    "[::169.254.0.1], IPv4-compatible link-local",
    "[64:ff9b::a9fe:1], NAT64 link-local",
  })
  void embeddedMetadataAndLinkLocalAddressesAreRefused(String host, String form) {
    AddressPolicy.RefusedTargetException e = assertThrows(AddressPolicy.RefusedTargetException.class, () -> LOCAL.check(host), form);
    assertTrue(e.getMessage().startsWith("refused " + host), e.getMessage());
    assertTrue(e.getMessage().contains("169.254."), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"[::10.0.0.1]", "[64:ff9b::127.0.0.1]", "[2002:c0a8:0101::1]", "[::ffff:0:192.168.1.1]"})
  void embeddedPrivateAddressesAreRefusedWhereThePlainOnesAre(String host) {
    AddressPolicy.RefusedTargetException e = assertThrows(AddressPolicy.RefusedTargetException.class, () -> DEPLOYED.check(host));
    assertTrue(e.getMessage().contains("not scraped unless ALLOW_PRIVATE_TARGETS=true"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"[64:ff9b::8.8.8.8]", "[2002:0808:0808::1]", "[2001:db8::a9fe:a9fe]", "[64:ff9b:2::a9fe:a9fe]"})
  void addressesThatEmbedNothingRefusedAreAllowed(String host) throws Exception {
    assertEquals(1, DEPLOYED.check(host).length, host);
  }

  @Test
  void aMissingHostIsRefusedWithAReason() {
    AddressPolicy.RefusedTargetException e = assertThrows(AddressPolicy.RefusedTargetException.class, () -> LOCAL.check(null));
    assertTrue(e.getMessage().startsWith("no host the scraper can parse"), e.getMessage());
  }
}
