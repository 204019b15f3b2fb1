package io.lockstep.lab.node;

import io.lockstep.lab.LabSeed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * The files KubeKey leaves on an etcd node: {@code /etc/etcd.env}, the environment file of the
 * etcd unit that operators {@code source} before they run {@code etcdctl} (PROCEDURES.md P4), and
 * the CA, member certificate and key it names under {@code /etc/ssl/etcd/ssl}. The certificates
 * are placeholders: the lab's {@code etcdctl} checks that they exist, not what they hold.
 */
final class EtcdFiles {

  static final String ENV_FILE = "/etc/etcd.env";
  static final String SSL_DIR = "/etc/ssl/etcd/ssl";
  static final int CLIENT_PORT = 2379;
  static final int PEER_PORT = 2380;

  private EtcdFiles() {}

  /** The member name KubeKey gives the etcd member on {@code node}. */
  static String memberName(String node) {
    return "etcd-" + node;
  }

  static String clientUrl(String ip) {
    return "https://" + ip + ":" + CLIENT_PORT;
  }

  static void write(LabSeed seed, LabSeed.Node node, Path root) throws IOException {
    Path ssl = root.resolve(SSL_DIR.substring(1));
    Files.createDirectories(ssl);
    String cert = "member-" + node.name() + ".pem";
    String key = "member-" + node.name() + "-key.pem";
    Files.writeString(ssl.resolve("ca.pem"), pem("CERTIFICATE", "lab etcd CA"));
    Files.writeString(ssl.resolve(cert), pem("CERTIFICATE", "lab etcd member " + node.name()));
    Files.writeString(ssl.resolve(key), pem("PRIVATE KEY", "lab etcd member key " + node.name()));
    Files.setPosixFilePermissions(ssl.resolve(key), Modes.of(0600));
    String cluster = seed.etcdNodes().stream()
        .map(n -> memberName(n.name()) + "=https://" + n.ip() + ":" + PEER_PORT)
        .collect(Collectors.joining(","));
    String env = "# Environment file for etcd v3.5.12\n"
        + "ETCD_DATA_DIR=/var/lib/etcd\n"
        + "ETCD_ADVERTISE_CLIENT_URLS=" + clientUrl(node.ip()) + "\n"
        + "ETCD_INITIAL_ADVERTISE_PEER_URLS=https://" + node.ip() + ":" + PEER_PORT + "\n"
        + "ETCD_INITIAL_CLUSTER_STATE=existing\n"
        + "ETCD_METRICS=basic\n"
        + "ETCD_LISTEN_CLIENT_URLS=" + clientUrl(node.ip()) + ",https://127.0.0.1:" + CLIENT_PORT + "\n"
        + "ETCD_ELECTION_TIMEOUT=5000\n"
        + "ETCD_HEARTBEAT_INTERVAL=250\n"
        + "ETCD_INITIAL_CLUSTER_TOKEN=k8s_etcd\n"
        + "ETCD_LISTEN_PEER_URLS=https://" + node.ip() + ":" + PEER_PORT + "\n"
        + "ETCD_NAME=" + memberName(node.name()) + "\n"
        + "ETCD_PROXY=off\n"
        + "ETCD_ENABLE_V2=true\n"
        + "ETCD_INITIAL_CLUSTER=" + cluster + "\n"
        + "ETCD_AUTO_COMPACTION_RETENTION=8\n"
        + "ETCD_SNAPSHOT_COUNT=10000\n"
        + "\n"
        + "# TLS settings\n"
        + "ETCD_TRUSTED_CA_FILE=" + SSL_DIR + "/ca.pem\n"
        + "ETCD_CERT_FILE=" + SSL_DIR + "/" + cert + "\n"
        + "ETCD_KEY_FILE=" + SSL_DIR + "/" + key + "\n"
        + "ETCD_CLIENT_CERT_AUTH=true\n"
        + "\n"
        + "ETCD_PEER_TRUSTED_CA_FILE=" + SSL_DIR + "/ca.pem\n"
        + "ETCD_PEER_CERT_FILE=" + SSL_DIR + "/" + cert + "\n"
        + "ETCD_PEER_KEY_FILE=" + SSL_DIR + "/" + key + "\n"
        + "ETCD_PEER_CLIENT_CERT_AUTH=true\n";
    Files.writeString(root.resolve(ENV_FILE.substring(1)), env);
  }

  private static String pem(String type, String text) {
    return "-----BEGIN " + type + "-----\n"
        + java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        + "\n-----END " + type + "-----\n";
  }
}
