# Caddy in front of the gateway nodes of signaling.nomad.hcl. Upstreams come
# from Nomad service discovery (service "signaling-gateway"); when allocations
# come and go the template re-renders and Caddy reloads in place.
#
#   nomad job run infra/nomad/caddy.nomad.hcl
#
# Plain HTTP on :8080: terminate TLS (wss://) in the load balancer in front of
# these hosts, or give Caddy a site name, ports 80/443 and a host volume for
# /data to let it manage certificates itself.
#
# Needs Caddy 2.7 or newer (stream_close_delay); the image below is 2.10.

variable "datacenters" {
  type    = list(string)
  default = ["dc1"]
}

variable "lb_count" {
  type    = number
  default = 2
}

job "signaling-lb" {
  datacenters = var.datacenters
  type        = "service"

  update {
    max_parallel     = 1
    min_healthy_time = "10s"
    auto_revert      = true
  }

  group "caddy" {
    count = var.lb_count

    # Static port: one Caddy per host.
    constraint {
      operator = "distinct_hosts"
      value    = "true"
    }

    network {
      port "http" {
        static = 8080
      }
    }

    service {
      name     = "signaling-lb"
      provider = "nomad"
      port     = "http"

      check {
        type     = "http"
        path     = "/healthz"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "caddy" {
      driver       = "docker"
      kill_timeout = "30s"

      config {
        image   = "caddy:2.10-alpine"
        command = "caddy"
        args    = ["run", "--config", "/local/Caddyfile", "--adapter", "caddyfile"]
        ports   = ["http"]
      }

      template {
        destination = "local/Caddyfile"
        # Caddy reloads through its admin API (localhost:2019 in the container);
        # signals do not reload it.
        change_mode = "script"
        change_script {
          command       = "/usr/bin/caddy"
          args          = ["reload", "--config", "/local/Caddyfile", "--adapter", "caddyfile"]
          timeout       = "15s"
          fail_on_error = false
        }
        # Coalesce bursts of registrations (a rolling update) into one reload.
        wait {
          min = "2s"
          max = "10s"
        }
        # Same settings as infra/caddy/Caddyfile (keep the two in step; that file
        # is the one the e2e test runs), plus stream_close_delay, which needs
        # Caddy 2.7+ (the image is 2.10): this Caddy reloads on every gateway
        # deploy, and without it a reload would cut every WebSocket.
        data = <<-EOT
          {
            auto_https off

            # Error entries carry the request URI: same filter as the access log.
            log default {
              output stderr
              format filter {
                wrap json
                fields {
                  request>uri query {
                    delete token
                    delete resume
                  }
                }
              }
            }
          }

          :8080 {
            handle /healthz {
              respond "ok" 200
            }

            handle /ws {
              # Room affinity (docs/operations.md "Room affinity"): the room is
              # hashed, so every peer of a room lands on one node.
              request_header X-Sg-Room {http.request.uri.query.room}

              reverse_proxy {{ range nomadService "signaling-gateway" }}{{ .Address }}:{{ .Port }} {{ end }}{
                # Rendezvous hashing over the healthy nodes: a drained or dead
                # node's rooms move to the others (peers resume there); a node
                # added or removed by a deploy moves about 1/n of the rooms.
                lb_policy header X-Sg-Room
                lb_try_duration 5s
                lb_try_interval 250ms

                health_uri /readyz
                health_interval 2s
                health_timeout 2s
                fail_duration 10s

                # Reloads happen on every gateway deploy: keep established
                # WebSockets open; a draining gateway closes its own with 1001.
                stream_close_delay 10m

                transport http {
                  dial_timeout 2s
                }
              }
            }

            handle {
              respond "not found" 404
            }

            # No credentials in the access log: browsers send the JWT and the
            # resume token in the query (PROTOCOL.md section 1).
            log {
              output stdout
              format filter {
                wrap json
                fields {
                  request>uri query {
                    delete token
                    delete resume
                  }
                }
              }
            }
          }
        EOT
      }

      resources {
        cpu    = 300
        memory = 256
      }
    }
  }
}
