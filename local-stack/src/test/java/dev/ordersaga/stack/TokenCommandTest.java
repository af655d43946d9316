package dev.ordersaga.stack;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** `make token SUB=... ROLES=...` runs {@code LocalStack token}: run it as make does, against a folder of its own. */
class TokenCommandTest {

    @TempDir
    Path home;

    @Test
    void printsATokenOfThatSubjectAndRolesValidFor24HoursSignedWithTheStacksKey() throws Exception {
        Result r = run("alice", "customer,operator");
        assertThat(r.exit).as(r.output).isZero();
        JwtClaims claims = verify(r.output.lines().filter(l -> l.startsWith("eyJ")).findFirst().orElse(""), publicKey());
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getStringListClaimValue("groups")).containsExactly("customer", "operator");
        assertThat(claims.getIssuer()).isEqualTo(LocalTokens.ISSUER);
        long lifetime = claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue();
        assertThat(lifetime).isBetween(24 * 3600L - 60, 24 * 3600L + 60);
        // the key pair stays: a second token verifies with the same public key
        assertThat(verify(run("bob", "stock-admin").output.lines().filter(l -> l.startsWith("eyJ")).findFirst().orElse(""),
                publicKey()).getSubject()).isEqualTo("bob");
    }

    @Test
    void aTokenFromAnotherKeyPairDoesNotVerify() throws Exception {
        String foreign = LocalTokens.in(home.resolve("other")).mint("mallory", "operator");
        run("alice", "customer");
        assertThatThrownBy(() -> verify(foreign, publicKey())).isInstanceOf(InvalidJwtException.class);
    }

    @Test
    void refusesAMissingSubjectOrAnUnknownRole() throws Exception {
        Result noSubject = run("", "customer");
        assertThat(noSubject.exit).isEqualTo(2);
        Result unknown = run("alice", "customer,root");
        assertThat(unknown.exit).isEqualTo(2);
        assertThat(unknown.output).contains("unknown: [root]").doesNotContain("eyJ");
    }

    private record Result(int exit, String output) {
    }

    private Result run(String subject, String roles) throws Exception {
        String cp = System.getProperty("java.class.path");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
                LocalStack.class.getName(), "token", subject, roles)
                .redirectError(home.resolve("stderr.txt").toFile());
        pb.environment().put("STACK_HOME", home.toString());
        Process p = pb.start();
        // standard output is the token alone (what `$(make -s token ...)` captures); messages go to standard error
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out + Files.readString(home.resolve("stderr.txt")));
    }

    private PublicKey publicKey() throws Exception {
        String pem = Files.readString(home.resolve("jwt/public.pem")).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    private static JwtClaims verify(String token, PublicKey key) throws InvalidJwtException {
        return new JwtConsumerBuilder().setVerificationKey(key).setExpectedIssuer(LocalTokens.ISSUER)
                .setRequireExpirationTime().setRequireSubject().build().processToClaims(token);
    }
}
