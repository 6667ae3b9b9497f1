locals {
  host_name = var.host_name != "" ? var.host_name : "${var.environment}.${var.domain_name}"
}

module "dns" {
  source = "../../modules/dns"

  domain_name = var.domain_name
  create_zone = var.create_zone
  zone_id     = var.zone_id
  host_name   = local.host_name

  validation_timeout = var.certificate_validation_timeout
}
