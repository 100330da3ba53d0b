// SafeTensors tests arrive with the safetensors layer.
