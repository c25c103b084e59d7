terraform {
  required_version = ">= 1.3"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # the examples of both lines use it (../minimal and ../full on aws 5, ../aws6 on aws 6)
      version = ">= 4.67.0"
    }
  }
}
