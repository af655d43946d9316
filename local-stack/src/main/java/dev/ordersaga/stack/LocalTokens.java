package dev.ordersaga.stack;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The local stack's identity provider, for `make run`, `make token` and the tests: an RSA key pair in a folder
 * (created on first use), and bearer tokens signed with it. The services trust the public key
 * ({@code JWT_PUBLIC_KEY_LOCATION}); a real identity provider replaces all of this by configuration (a JWKS URL).
 */
public final class LocalTokens {

    public static final String ISSUER = "order-saga-local";
    public static final List<String> ROLES = List.of("customer", "stock-admin", "coupon-admin", "operator");

    private final Path dir;
    private final PrivateKey privateKey;

    private LocalTokens(Path dir, PrivateKey privateKey) {
        this.dir = dir;
        this.privateKey = privateKey;
    }

    /** The key pair in {@code dir}: {@code private.pem} (PKCS#8) and {@code public.pem} (X.509), made if missing. */
    public static synchronized LocalTokens in(Path dir) {
        try {
            Path priv = dir.resolve("private.pem");
            if (!Files.exists(priv)) {
                Files.createDirectories(dir);
                KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
                gen.initialize(2048);
                KeyPair pair = gen.generateKeyPair();
                write(dir.resolve("public.pem"), "PUBLIC KEY", pair.getPublic().getEncoded());
                write(priv, "PRIVATE KEY", pair.getPrivate().getEncoded());
                try {
                    Files.setPosixFilePermissions(priv, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the folder's own permissions protect it
                }
            }
            String pem = Files.readString(priv).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            return new LocalTokens(dir, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the key pair in " + dir + " cannot be read", e);
        }
    }

    /** Where the services find the public key, as {@code mp.jwt.verify.publickey.location} takes it. */
    public String publicKeyLocation() {
        return "file:" + dir.resolve("public.pem").toAbsolutePath();
    }

    /** A token for {@code subject} with {@code roles} (the {@code groups} claim), valid for {@code lifetime}. */
    public String mint(String subject, Collection<String> roles, Duration lifetime) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setSubject(subject);
        claims.setStringListClaim("groups", List.copyOf(roles));
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(lifetime.toSeconds() / 60f);
        claims.setJwtId(UUID.randomUUID().toString());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(privateKey);
        jws.setKeyIdHeaderValue("local");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("signing a token failed", e);
        }
    }

    /** A token valid for one hour, as tests use them. */
    public String mint(String subject, String... roles) {
        return mint(subject, List.of(roles), Duration.ofHours(1));
    }

    private static void write(Path file, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }
}
