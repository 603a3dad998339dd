// bench/gather_probe.c: throughput of vgatherdps (ymm, zmm) from a 16 KB
// table with random indices, the bound of any gather-based batch-1 kernel.
// clang-22 -O2 -march=native bench/gather_probe.c -o /tmp/gp && /tmp/gp
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e9+t.tv_nsec;}
int main(){
  int K=4096, N=1<<22;
  float *x=aligned_alloc(64,K*4); for(int i=0;i<K;i++)x[i]=i*0.001f;
  int *idx=aligned_alloc(64,N*4); for(int i=0;i<N;i++)idx[i]=rand()%K;
  for(int rep=0;rep<3;rep++){
  double t0=now(); __m256 a0=_mm256_setzero_ps(),a1=a0,a2=a0,a3=a0;
  for(int i=0;i<N;i+=32){
    a0=_mm256_add_ps(a0,_mm256_i32gather_ps(x,_mm256_load_si256((__m256i*)(idx+i)),4));
    a1=_mm256_add_ps(a1,_mm256_i32gather_ps(x,_mm256_load_si256((__m256i*)(idx+i+8)),4));
    a2=_mm256_add_ps(a2,_mm256_i32gather_ps(x,_mm256_load_si256((__m256i*)(idx+i+16)),4));
    a3=_mm256_add_ps(a3,_mm256_i32gather_ps(x,_mm256_load_si256((__m256i*)(idx+i+24)),4));}
  double t1=now();
  __m512 b0=_mm512_setzero_ps(),b1=b0;
  for(int i=0;i<N;i+=32){
    b0=_mm512_add_ps(b0,_mm512_i32gather_ps(_mm512_load_si512(idx+i),x,4));
    b1=_mm512_add_ps(b1,_mm512_i32gather_ps(_mm512_load_si512(idx+i+16),x,4));}
  double t2=now();
  float s=0; for(int i=0;i<N;i++) s+=x[idx[i]];
  double t3=now();
  float r[16]; _mm256_storeu_ps(r,_mm256_add_ps(_mm256_add_ps(a0,a1),_mm256_add_ps(a2,a3)));
  float r2[16]; _mm512_storeu_ps(r2,_mm512_add_ps(b0,b1));
  printf("ymm gather %.3f ns/elem, zmm gather %.3f ns/elem, scalar %.3f ns/elem (%g %g %g)\n",(t1-t0)/N,(t2-t1)/N,(t3-t2)/N,r[0],r2[0],s);}
}
