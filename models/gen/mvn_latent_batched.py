"""Data for models/mvn_latent_batched.model: the same data as the loop form
(see mvn_latent_loop.py, which writes both files)."""
import mvn_latent_loop

if __name__ == "__main__":
    mvn_latent_loop.main()
