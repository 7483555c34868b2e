// outbound::BeastHttpClient against real servers on loopback (a Python server from Debian's
// python3, with certificates made by the openssl command for this run): TLS verified against the
// trust store and the host name, an extra CA file, the answer size cap, deadlines, and kept-alive
// connections reused.
#include "outbound/beast_http_client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "support/async.hpp"
#include "support/process.hpp"
#include "unit/storage/sqlite_temp_dir.hpp"

namespace authsvc::outbound {
namespace {

constexpr const char* kServer = R"PY(
import http.server, json, socketserver, ssl, sys, time
connections = set()
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def send(self, status, body, content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        connections.add(self.client_address)
        if self.path == "/json":
            self.send(200, json.dumps({"ok": True, "host": self.headers.get("Host")}).encode())
        elif self.path == "/big":
            self.send(200, b"x" * (2 * 1024 * 1024), "text/plain")
        elif self.path == "/slow":
            time.sleep(3)
            self.send(200, b"{}")
        elif self.path == "/connections":
            self.send(200, json.dumps({"connections": len(connections)}).encode())
        else:
            self.send(404, b"{}")
class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
server = Server(("127.0.0.1", 0), Handler)
if len(sys.argv) > 2:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[1], sys.argv[2])
    server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
)PY";

class OutboundHttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    make_certificates();
    std::ofstream(dir_.file("server.py")) << kServer;
  }
  void TearDown() override {
    for (const auto pid : servers_) {
      const std::string kill = "kill " + std::to_string(pid) + " 2>/dev/null";
      (void)std::system(kill.c_str());
    }
  }

  void openssl(const std::string& arguments) {
    const std::string command = "openssl " + arguments + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }
  // A CA, and two server certificates it signed: one for 127.0.0.1, one for another name only.
  void make_certificates() {
    const auto d = dir_.file("");
    openssl("req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=auth-test-ca -keyout " + d +
            "ca.key -out " + d + "ca.pem -addext basicConstraints=critical,CA:TRUE -addext "
            "keyUsage=critical,keyCertSign");
    for (const auto& [name, san] : {std::pair{"good", "IP:127.0.0.1,DNS:localhost"},
                                    std::pair{"other", "DNS:other.example"}}) {
      const std::string base = d + name;
      openssl("req -newkey rsa:2048 -nodes -subj /CN=" + std::string(name) + " -keyout " + base +
              ".key -out " + base + ".csr");
      std::ofstream(base + ".ext") << "subjectAltName=" << san << "\n";
      openssl("x509 -req -in " + base + ".csr -CA " + d + "ca.pem -CAkey " + d +
              "ca.key -CAcreateserial -days 1 -out " + base + ".pem -extfile " + base + ".ext");
    }
  }
  // Starts the Python server (TLS with `name`'s certificate, or plain http); its base URL.
  std::string start_server(const std::string& name = "") {
    const std::string port_file = dir_.file("port-" + std::to_string(servers_.size()));
    std::string command = "/usr/bin/python3 " + dir_.file("server.py");
    if (!name.empty()) command += " " + dir_.file(name + ".pem") + " " + dir_.file(name + ".key");
    const auto started = test::run_command(command + " >" + port_file + " 2>/dev/null & echo $!");
    servers_.push_back(std::stoi(started.out));
    std::string port;
    for (int i = 0; i < 100 && port.empty(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      std::ifstream(port_file) >> port;
    }
    EXPECT_FALSE(port.empty()) << "the test server did not start";
    return (name.empty() ? "http://127.0.0.1:" : "https://127.0.0.1:") + port;
  }

  Result<OutboundResponse> get(BeastHttpClient& client, const std::string& url) {
    OutboundRequest request;
    request.url = url;
    return test::run_sync(io_, client.send(std::move(request)));
  }

  test::SqliteTempDir dir_;
  boost::asio::io_context io_;
  std::vector<int> servers_;
};

HttpClientOptions with_test_ca(HttpClientOptions options, const test::SqliteTempDir& dir) {
  options.extra_ca_file = dir.file("ca.pem");
  return options;
}

TEST_F(OutboundHttpClientTest, CertificatesAreVerifiedAgainstTheTrustStoreAndTheHostName) {
  const std::string good = start_server("good");
  BeastHttpClient system_store_only(HttpClientOptions{});
  auto refused = get(system_store_only, good + "/json");
  ASSERT_FALSE(refused.ok()) << "a certificate of a private CA is not trusted by default";
  EXPECT_TRUE(refused.error().is(InfraErrc::unavailable)) << refused.error().describe();

  BeastHttpClient trusting(with_test_ca({}, dir_));
  auto answered = get(trusting, good + "/json");
  ASSERT_TRUE(answered.ok()) << answered.error().describe();
  EXPECT_EQ(answered->status, 200u);
  EXPECT_NE(answered->body.find("\"ok\": true"), std::string::npos) << answered->body;
  EXPECT_EQ(answered->header("content-type"), "application/json");

  // Signed by the trusted CA, but for another name: refused.
  const std::string other = start_server("other");
  auto wrong_name = get(trusting, other + "/json");
  ASSERT_FALSE(wrong_name.ok());
  EXPECT_TRUE(wrong_name.error().is(InfraErrc::unavailable)) << wrong_name.error().describe();
}

TEST_F(OutboundHttpClientTest, PlainHttpCarriesTheHostWithItsPort) {
  const std::string plain = start_server();
  BeastHttpClient client(HttpClientOptions{});
  auto answered = get(client, plain + "/json");
  ASSERT_TRUE(answered.ok()) << answered.error().describe();
  const std::string authority = plain.substr(std::string("http://").size());
  EXPECT_NE(answered->body.find("\"host\": \"" + authority + "\""), std::string::npos)
      << answered->body;
  auto missing = get(client, plain + "/nothing");
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->status, 404u) << "any status is an answer, not an error";
}

TEST_F(OutboundHttpClientTest, AnswersOverTheCapAndSlowServersAreErrorsInTime) {
  const std::string good = start_server("good");
  HttpClientOptions options = with_test_ca({}, dir_);
  options.max_response_bytes = 1024 * 1024;
  options.request_timeout = std::chrono::milliseconds(500);
  BeastHttpClient client(options);
  auto big = get(client, good + "/big");
  ASSERT_FALSE(big.ok());
  EXPECT_TRUE(big.error().is(InfraErrc::overloaded)) << big.error().describe();
  const auto started = std::chrono::steady_clock::now();
  auto slow = get(client, good + "/slow");
  ASSERT_FALSE(slow.ok());
  EXPECT_TRUE(slow.error().is(InfraErrc::timeout)) << slow.error().describe();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  auto nobody = get(client, "http://127.0.0.1:1/json");
  ASSERT_FALSE(nobody.ok());
  EXPECT_TRUE(nobody.error().is(InfraErrc::unavailable));
  auto not_http = get(client, "ftp://127.0.0.1/x");
  ASSERT_FALSE(not_http.ok());
  EXPECT_TRUE(not_http.error().is(InfraErrc::internal));
}

TEST_F(OutboundHttpClientTest, KeptAliveConnectionsAreReused) {
  const std::string good = start_server("good");
  BeastHttpClient client(with_test_ca({}, dir_));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(get(client, good + "/json").ok());
  auto counted = get(client, good + "/connections");
  ASSERT_TRUE(counted.ok()) << counted.error().describe();
  EXPECT_NE(counted->body.find("\"connections\": 1"), std::string::npos) << counted->body;
}

}  // namespace
}  // namespace authsvc::outbound
